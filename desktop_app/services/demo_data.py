"""Plausible Lampung field data for demonstrations, training and benchmarks.

Names, businesses and cooperatives are the kind an officer meets in Lampung
(Lampung, Javanese, Sundanese and Balinese families live side by side); NIKs
are well-formed for the district they are placed in; amounts follow the size
classes' real spread (most UMKM are micro). Nothing here is a real person.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

GIVEN_MEN = ("Suparman", "Rahmat", "Darto", "Hasanudin", "Marwan", "Yusuf", "Rusdi", "Bambang",
             "Rohman", "Ahmad", "Dedi", "Eko", "Wayan", "Made", "Nyoman", "Ketut", "Agus",
             "Slamet", "Heri", "Junaidi", "Firdaus", "Iwan", "Sukardi", "Zulkifli", "Fadli")
GIVEN_WOMEN = ("Siti Aminah", "Sri Wahyuni", "Kartini", "Ratna", "Sumarni", "Nurhayati",
               "Dewi", "Yuliana", "Ni Luh", "Fitri", "Rina", "Maryati", "Suryani", "Lestari",
               "Wulandari", "Rosmala", "Halimah", "Eka", "Nining", "Tuti")
FAMILY = ("Saputra", "Hidayat", "Pratama", "Setiawan", "Gunawan", "Wijaya", "Kusuma",
          "Susanto", "Nugroho", "Rahayu", "Putri", "Sari", "Astuti", "Handayani", "Firmansyah",
          "Purnomo", "Santoso", "Ismail", "Hakim", "Ramadhan")
PRODUCTS = (("Keripik Pisang", "C"), ("Kopi Robusta", "C"), ("Kain Tapis", "C"),
            ("Kemplang Ikan", "C"), ("Lada Hitam", "A"), ("Warung Makan", "I"),
            ("Bengkel Motor", "G"), ("Sulam Usus", "C"), ("Toko Kelontong", "G"),
            ("Gula Aren", "C"), ("Budidaya Ikan Lele", "A"), ("Kerupuk Kulit", "C"),
            ("Jasa Jahit", "S"), ("Pempek", "I"), ("Madu Hutan", "A"), ("Batik Lampung", "C"))
COOP_NAMES = ("Sejahtera Bersama", "Tani Makmur", "Mina Jaya", "Karya Mandiri", "Maju Bersama",
              "Sumber Rezeki", "Harapan Jaya", "Bina Usaha", "Sekar Tanjung", "Way Seputih",
              "Sai Bumi", "Ragom Gawi", "Mufakat", "Sakai Sambayan", "Lada Emas")
COOP_PREFIX = {"simpan_pinjam": "KSP", "konsumen": "Koperasi Konsumen", "produsen": "Koperasi Produsen",
               "pemasaran": "Koperasi Pemasaran", "jasa": "Koperasi Jasa", "pertanian": "Koperasi Tani",
               "perikanan": "KUD Mina", "perkebunan": "Koperasi Perkebunan", "peternakan": "Koperasi Ternak"}
VILLAGES = ("Sukarame", "Way Halim", "Rajabasa", "Negeri Sakti", "Sidomulyo", "Tanjung Sari",
            "Banjar Negeri", "Gedong Tataan", "Pekon Ampai", "Karang Anyar", "Sumber Agung",
            "Margo Rejo", "Bumi Nabung", "Tiuh Toho", "Labuhan Ratu", "Way Jepara", "Pagar Dewa")
CHANNELS = ("tokopedia", "shopee", "bukalapak", "lazada", "blibli", "tiktok_shop",
            "whatsapp_business", "instagram", "facebook", "website")
OUTCOME_WEIGHTS = (("met", 0.85), ("not_met", 0.1), ("unchecked", 0.05))
ASPECT_WEIGHTS = {"permodalan": 15, "kualitas_aktiva_produktif": 25, "manajemen": 15,
                  "efisiensi": 10, "likuiditas": 15, "kemandirian_dan_pertumbuhan": 10,
                  "jatidiri_koperasi": 10}


@dataclass
class DemoPlace:
    regency_code: str
    district_code: str


class DemoFactory:
    """Makes one plausible record at a time, reproducibly for a given seed."""

    def __init__(self, places: list[DemoPlace], *, seed: int = 18, today: date) -> None:
        self.rng = random.Random(seed)
        self.places = places
        self.today = today

    def nik_for(self, place: DemoPlace, woman: bool) -> str:
        born = date(1960, 1, 1) + timedelta(days=self.rng.randrange(0, 365 * 45))
        day = born.day + (40 if woman else 0)
        district = place.district_code.replace(".", "")
        return f"{district}{day:02d}{born.month:02d}{born.year % 100:02d}{self.rng.randrange(1, 9999):04d}"

    def place(self) -> DemoPlace:
        return self.rng.choice(self.places)

    def visit_date(self) -> date:
        return self.today - timedelta(days=self.rng.randrange(0, 400))

    def location(self) -> tuple[float, float]:
        return (round(self.rng.uniform(-5.9, -4.0), 6), round(self.rng.uniform(104.0, 105.9), 6))

    def business(self) -> dict[str, object]:
        place = self.place()
        woman = self.rng.random() < 0.55
        given = self.rng.choice(GIVEN_WOMEN if woman else GIVEN_MEN)
        owner = f"{given} {self.rng.choice(FAMILY)}"
        product, kbli = self.rng.choice(PRODUCTS)
        return {
            "name": f"{product} {given.split()[0]}", "owner_name": owner,
            "owner_nik": self.nik_for(place, woman), "kbli_section": kbli,
            "nib": "".join(self.rng.choice("0123456789") for _ in range(13)) if self.rng.random() < 0.4 else None,
            "regency_code": place.regency_code, "district_code": place.district_code,
            "village": self.rng.choice(VILLAGES), "address": f"Jl. {self.rng.choice(VILLAGES)} No. {self.rng.randrange(1, 200)}",
            "phone": f"08{self.rng.randrange(11, 99)}{self.rng.randrange(10**7, 10**8)}",
            "year_started": self.rng.randrange(1995, self.today.year + 1),
        }

    def survey(self, business_id: str) -> dict[str, object]:
        monthly = int(self.rng.lognormvariate(16.2, 1.0)) // 1000 * 1000
        paid = self.rng.randrange(0, 8)
        unpaid = self.rng.randrange(0, 4)
        lat, lon = self.location()
        return {
            "business_id": business_id, "visit_date": self.visit_date(),
            "workers_paid": paid, "workers_unpaid": unpaid,
            "workers_women": self.rng.randrange(0, paid + unpaid + 1),
            "capital": int(self.rng.lognormvariate(17.5, 1.2)) // 1000 * 1000,
            "turnover_monthly": monthly, "turnover_annual": monthly * 12,
            "digital_channels": self.rng.sample(CHANNELS, self.rng.randrange(0, 4)),
            "online_sales_share": self.rng.choice((0, 0, 5, 10, 20, 40, 60)),
            "payment_methods": self.rng.sample(("qris", "transfer", "tunai", "e_wallet"), self.rng.randrange(1, 4)),
            "capital_access": [self.rng.choice(("kur", "koperasi", "pinjaman_daerah", "none"))],
            "pandemic_impact": self.rng.choice(("none", "minor", "severe")),
            "training_wanted": self.rng.choice(("Pemasaran daring", "Pembukuan", "Pengemasan", "")),
            "latitude": lat, "longitude": lon, "location_source": "typed",
        }

    def cooperative(self) -> dict[str, object]:
        place = self.place()
        kind = self.rng.choice(tuple(COOP_PREFIX))
        founded = date(1980, 1, 1) + timedelta(days=self.rng.randrange(0, 365 * 44))
        return {
            "name": f"{COOP_PREFIX[kind]} {self.rng.choice(COOP_NAMES)}",
            "cooperative_type": kind, "legal_entity_date": founded,
            "legal_entity_no": f"{self.rng.randrange(100, 999)}/BH/XVIII/{founded.year}",
            "chair_name": f"{self.rng.choice(GIVEN_MEN + GIVEN_WOMEN)} {self.rng.choice(FAMILY)}",
            "members_male": self.rng.randrange(10, 400), "members_female": self.rng.randrange(5, 400),
            "is_active": self.rng.random() < 0.5, "rat_last_year": self.rng.random() < 0.45,
            "regency_code": place.regency_code, "district_code": place.district_code,
            "village": self.rng.choice(VILLAGES),
        }

    def audit(self, cooperative_id: str) -> dict[str, object]:
        held = self.rng.random() < 0.5
        visit = self.visit_date()
        outstanding = int(self.rng.lognormvariate(19, 1)) // 1000 * 1000
        scores = {k: round(self.rng.uniform(0.4, 1.0) * w, 2) for k, w in ASPECT_WEIGHTS.items()}
        return {
            "cooperative_id": cooperative_id, "visit_date": visit, "rat_held": held,
            "rat_date": visit - timedelta(days=self.rng.randrange(30, 300)) if held else None,
            "members_male": self.rng.randrange(10, 400), "members_female": self.rng.randrange(5, 400),
            "own_capital": int(self.rng.lognormvariate(19, 1)) // 1000 * 1000,
            "assets": int(self.rng.lognormvariate(20, 1)) // 1000 * 1000,
            "loans_outstanding": outstanding, "loans_overdue": outstanding // self.rng.randrange(5, 30),
            "aspect_scores": scores,
            "findings": self.rng.choice(("Pembukuan belum tertib.", "Pengurus aktif, simpanan wajib lancar.", "RAT belum dilaksanakan dua tahun.")),
            "recommendations": self.rng.choice(("Pendampingan pembukuan.", "Segera laksanakan RAT.", "Pertahankan kinerja.")),
        }

    def applicant(self) -> dict[str, object]:
        place = self.place()
        woman = self.rng.random() < 0.6
        given = self.rng.choice(GIVEN_WOMEN if woman else GIVEN_MEN)
        product, kbli = self.rng.choice(PRODUCTS)
        return {
            "full_name": f"{given} {self.rng.choice(FAMILY)}", "nik": self.nik_for(place, woman),
            "business_name": f"{product} {given.split()[0]}", "kbli_section": kbli,
            "aid_round": f"{self.today.year}-1", "regency_code": place.regency_code,
            "district_code": place.district_code, "village": self.rng.choice(VILLAGES),
            "on_credit_list": self.rng.random() < 0.1,
        }

    def verification(self, applicant_id: str) -> dict[str, object]:
        outcomes, weights = zip(*OUTCOME_WEIGHTS)
        checks = {f"check_{c}": self.rng.choices(outcomes, weights)[0]
                  for c in ("valid_nik", "micro_business", "not_civil_servant",
                            "no_bank_credit", "not_prior_recipient")}
        lat, lon = self.location()
        return {"applicant_id": applicant_id, "visit_date": self.visit_date(),
                "business_exists": self.rng.random() < 0.9, **checks,
                "latitude": lat, "longitude": lon, "location_source": "typed"}
