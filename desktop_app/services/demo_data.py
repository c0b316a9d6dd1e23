"""Plausible Lampung field data for demonstrations, training and benchmarks.

Names, businesses and cooperatives are the kind an officer meets in Lampung
(Lampung, Javanese, Sundanese and Balinese families live side by side); NIKs
are well-formed for the district they are placed in; amounts follow the size
classes' real spread (most UMKM are micro). Villages are real ones of the
district, chosen by their Kemendagri code; audits use the health methods and
applicants the aid rounds of the reference data, with a KK number and, where
the business is not at the KTP address, a business certificate (SKU).
Nothing here is a real person.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from ..models.rules.health import ASPECT_SUM, HealthMethod

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
STREETS = ("Sukarame", "Way Halim", "Rajabasa", "Negeri Sakti", "Sidomulyo", "Tanjung Sari",
           "Banjar Negeri", "Gedong Tataan", "Pekon Ampai", "Karang Anyar", "Sumber Agung",
           "Margo Rejo", "Bumi Nabung", "Tiuh Toho", "Labuhan Ratu", "Way Jepara", "Pagar Dewa")
CHANNELS = ("tokopedia", "shopee", "bukalapak", "lazada", "blibli", "tiktok_shop",
            "whatsapp_business", "instagram", "facebook", "website")
OUTCOME_WEIGHTS = (("met", 0.85), ("not_met", 0.1), ("unchecked", 0.05))
#: Rounds an applicant list belongs to, with their share (most lists are of
#: the newest round the laptop knows).
ROUND_SHARE = (("bpum-2021", 0.8), ("bpum-2020", 0.2))
#: Share of audits still made by the Perdep 06/2016 method.
OLD_METHOD_SHARE = 0.2


@dataclass
class DemoPlace:
    regency_code: str
    district_code: str
    villages: tuple[tuple[str, str], ...] = ()  # (code, name) of the district's villages


@dataclass
class DemoReference:
    """What the demo takes from the reference data: the health methods by
    code (the first the current one) and the round codes it may use."""

    methods: dict[str, HealthMethod] = field(default_factory=dict)
    rounds: tuple[str, ...] = ()


class DemoFactory:
    """Makes one plausible record at a time, reproducibly for a given seed."""

    def __init__(self, places: list[DemoPlace], *, seed: int = 18, today: date,
                 reference: DemoReference | None = None) -> None:
        self.rng = random.Random(seed)
        self.places = places
        self.today = today
        self.reference = reference or DemoReference()

    def nik_for(self, place: DemoPlace, woman: bool) -> str:
        born = date(1960, 1, 1) + timedelta(days=self.rng.randrange(0, 365 * 45))
        day = born.day + (40 if woman else 0)
        district = place.district_code.replace(".", "")
        return f"{district}{day:02d}{born.month:02d}{born.year % 100:02d}{self.rng.randrange(1, 9999):04d}"

    def place(self) -> DemoPlace:
        return self.rng.choice(self.places)

    def village(self, place: DemoPlace) -> dict[str, object]:
        """A village of the place's district by its code (its name follows),
        or a typed name where the district has no village list."""
        if place.villages:
            return {"village_code": self.rng.choice(place.villages)[0]}
        return {"village": self.rng.choice(STREETS)}

    def kk_for(self, place: DemoPlace) -> str:
        """A KK number of the district: region, a recording date, a serial."""
        recorded = date(2005, 1, 1) + timedelta(days=self.rng.randrange(0, 365 * 20))
        district = place.district_code.replace(".", "")
        return f"{district}{recorded:%d%m}{recorded.year % 100:02d}{self.rng.randrange(1, 9999):04d}"

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
            **self.village(place), "address": f"Jl. {self.rng.choice(STREETS)} No. {self.rng.randrange(1, 200)}",
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
            **self.sales(monthly),
            "digital_channels": self.rng.sample(CHANNELS, self.rng.randrange(0, 4)),
            "online_sales_share": self.rng.choice((0, 0, 5, 10, 20, 40, 60)),
            "payment_methods": self.rng.sample(("qris", "transfer", "tunai", "e_wallet"), self.rng.randrange(1, 4)),
            "capital_access": [self.rng.choice(("kur", "koperasi", "pinjaman_daerah", "none"))],
            "pandemic_impact": self.rng.choice(("none", "minor", "severe")),
            "training_wanted": self.rng.choice(("Pemasaran daring", "Pembukuan", "Pengemasan", "")),
            "latitude": lat, "longitude": lon, "location_source": "typed",
        }

    def sales(self, monthly: int) -> dict[str, object]:
        """What an owner can tell: the year's sales (half of them), else only a
        usual month (so the size class is an estimate), else nothing (classed
        by capital)."""
        roll = self.rng.random()
        if roll < 0.5:
            return {"turnover_monthly": monthly, "turnover_annual": monthly * self.rng.randrange(10, 14)}
        if roll < 0.9:
            return {"turnover_monthly": monthly, "turnover_annual": None}
        return {"turnover_monthly": None, "turnover_annual": None}

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
            **self.village(place),
        }

    def health(self) -> dict[str, object]:
        """The method and the assessor's entries: mostly the current method,
        a ratio per indicator; some audits still by Perdep 06/2016, a score
        per aspect."""
        methods = list(self.reference.methods.values())
        if not methods:
            return {}
        method = methods[-1] if len(methods) > 1 and self.rng.random() < OLD_METHOD_SHARE else methods[0]
        entries = {}
        for key in method.entry_keys:
            low, high = method.entry_range(key)
            share = self.rng.uniform(0.4, 1.0) if method.scoring == ASPECT_SUM else self.rng.uniform(0.2, 1.0)
            entries[key] = round(float(low) + float(high - low) * share, 2)
        return {"health_method": method.code, "aspect_scores": entries}

    def audit(self, cooperative_id: str) -> dict[str, object]:
        held = self.rng.random() < 0.5
        visit = self.visit_date()
        outstanding = int(self.rng.lognormvariate(19, 1)) // 1000 * 1000
        return {
            "cooperative_id": cooperative_id, "visit_date": visit, "rat_held": held,
            "rat_date": visit - timedelta(days=self.rng.randrange(30, 300)) if held else None,
            "members_male": self.rng.randrange(10, 400), "members_female": self.rng.randrange(5, 400),
            "own_capital": int(self.rng.lognormvariate(19, 1)) // 1000 * 1000,
            "assets": int(self.rng.lognormvariate(20, 1)) // 1000 * 1000,
            "loans_outstanding": outstanding, "loans_overdue": outstanding // self.rng.randrange(5, 30),
            **self.health(),
            "findings": self.rng.choice(("Pembukuan belum tertib.", "Pengurus aktif, simpanan wajib lancar.", "RAT belum dilaksanakan dua tahun.")),
            "recommendations": self.rng.choice(("Pendampingan pembukuan.", "Segera laksanakan RAT.", "Pertahankan kinerja.")),
        }

    def applicant(self) -> dict[str, object]:
        place = self.place()
        woman = self.rng.random() < 0.6
        given = self.rng.choice(GIVEN_WOMEN if woman else GIVEN_MEN)
        product, kbli = self.rng.choice(PRODUCTS)
        rounds = [(c, w) for c, w in ROUND_SHARE if c in self.reference.rounds] or [("bpum-2021", 1)]
        aid_round = self.rng.choices([c for c, _ in rounds], [w for _, w in rounds])[0]
        elsewhere = self.rng.random() < 0.15
        return {
            "full_name": f"{given} {self.rng.choice(FAMILY)}", "nik": self.nik_for(place, woman),
            "kk_number": self.kk_for(place),
            "address": f"Jl. {self.rng.choice(STREETS)} No. {self.rng.randrange(1, 200)}",
            "business_name": f"{product} {given.split()[0]}", "kbli_section": kbli,
            "aid_round": aid_round, "regency_code": place.regency_code,
            "district_code": place.district_code, **self.village(place),
            "business_location_differs": elsewhere,
            "business_address": f"Pasar {self.rng.choice(STREETS)} Blok {self.rng.choice('ABCD')}"
                                if elsewhere else "",
            "sku_number": f"470/{self.rng.randrange(1, 400)}/SKU/{self.today.year}" if elsewhere else "",
            "on_credit_list": self.rng.random() < 0.1,
            "prior_recipient": aid_round == "bpum-2021" and self.rng.random() < 0.3,
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
