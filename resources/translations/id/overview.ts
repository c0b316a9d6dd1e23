<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="id" sourcelanguage="en">
<context>
    <name>DashboardPage</name>
    <message>
        <location filename="../../../desktop_app/ui/dashboard.py" line="48"/>
        <source>Eligible</source>
        <extracomment>Tapis colours: the woven cloth&apos;s gold, rust and indigo, then calm greys.</extracomment>
        <translation>Layak</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/dashboard.py" line="49"/>
        <source>Not eligible</source>
        <translation>Tidak layak</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/dashboard.py" line="50"/>
        <source>Incomplete</source>
        <translation>Belum lengkap</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/dashboard.py" line="66"/>
        <source>Not classed</source>
        <translation>Belum dapat digolongkan</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/dashboard.py" line="73"/>
        <source>Not scored</source>
        <translation>Belum dinilai</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/dashboard.py" line="153"/>
        <source>No finalised records yet</source>
        <translation>Belum ada data final</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/dashboard.py" line="216"/>
        <source>Dashboard</source>
        <translation>Dasbor</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/dashboard.py" line="223"/>
        <source>Regency or city</source>
        <translation>Kabupaten atau kota</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/dashboard.py" line="224"/>
        <source>All Lampung</source>
        <translation>Seluruh Lampung</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/dashboard.py" line="230"/>
        <source>Finalised records only; a corrected record counts once.</source>
        <translation>Hanya data final; data yang dikoreksi dihitung satu kali.</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/dashboard.py" line="235"/>
        <source>Regency/city:</source>
        <translation>Kabupaten/kota:</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/dashboard.py" line="238"/>
        <source>UMKM surveys done</source>
        <translation>survei UMKM selesai</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/dashboard.py" line="239"/>
        <source>of surveyed businesses sell online</source>
        <translation>usaha yang disurvei berjualan daring</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/dashboard.py" line="240"/>
        <source>cooperatives audited</source>
        <translation>koperasi diperiksa</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/dashboard.py" line="241"/>
        <source>aid applicants verified</source>
        <translation>pemohon bantuan diverifikasi</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/dashboard.py" line="323"/>
        <source>UMKM surveys done per month, {first} – {last}</source>
        <translation>Survei UMKM selesai per bulan, {first} – {last}</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/dashboard.py" line="328"/>
        <source>UMKM surveys done per regency/city</source>
        <translation>Survei UMKM selesai per kabupaten/kota</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/dashboard.py" line="333"/>
        <source>Digital adoption</source>
        <translation>Pemanfaatan kanal digital</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/dashboard.py" line="334"/>
        <source>Sells online</source>
        <translation>Berjualan daring</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/dashboard.py" line="335"/>
        <source>Offline only</source>
        <translation>Hanya luring</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/dashboard.py" line="336"/>
        <source>Business size classes</source>
        <translation>Skala usaha</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/dashboard.py" line="339"/>
        <source>Cooperative health</source>
        <translation>Kesehatan koperasi</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/dashboard.py" line="342"/>
        <source>Aid verification verdicts</source>
        <translation>Hasil verifikasi bantuan</translation>
    </message>
</context>
<context>
    <name>HistoryDialog</name>
    <message>
        <location filename="../../../desktop_app/ui/history.py" line="167"/>
        <source>History</source>
        <translation>Riwayat</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/history.py" line="171"/>
        <source>Close</source>
        <translation>Tutup</translation>
    </message>
</context>
<context>
    <name>HistoryView</name>
    <message>
        <location filename="../../../desktop_app/ui/history.py" line="36"/>
        <source>unknown officer</source>
        <translation>petugas tidak diketahui</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/history.py" line="37"/>
        <source>officer …{id}</source>
        <translation>petugas …{id}</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/history.py" line="43"/>
        <source>{kind} created</source>
        <translation>{kind} dibuat</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/history.py" line="45"/>
        <source>{kind} deleted</source>
        <translation>{kind} dihapus</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/history.py" line="46"/>
        <source>{kind} changed</source>
        <translation>{kind} diubah</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/history.py" line="59"/>
        <source>Reading the history…</source>
        <extracomment>(kind, record id) of a visit the officer wants to open</extracomment>
        <translation>Membaca riwayat…</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/history.py" line="64"/>
        <source>Visit date</source>
        <translation>Tanggal kunjungan</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/history.py" line="64"/>
        <source>Visit</source>
        <translation>Kunjungan</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/history.py" line="64"/>
        <source>Officer</source>
        <translation>Petugas</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/history.py" line="65"/>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/history.py" line="65"/>
        <source>Result</source>
        <translation>Hasil</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/history.py" line="65"/>
        <source>Correction</source>
        <translation>Koreksi</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/history.py" line="67"/>
        <source>When (WIB)</source>
        <translation>Waktu (WIB)</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/history.py" line="67"/>
        <source>Field</source>
        <translation>Isian</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/history.py" line="67"/>
        <source>Before</source>
        <translation>Sebelum</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/history.py" line="68"/>
        <source>After</source>
        <translation>Sesudah</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/history.py" line="70"/>
        <source>Visits</source>
        <translation>Kunjungan</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/history.py" line="71"/>
        <source>Changes recorded on this laptop</source>
        <translation>Perubahan yang tercatat di laptop ini</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/history.py" line="112"/>
        <source>History of {kind}: {title}</source>
        <translation>Riwayat {kind}: {title}</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/history.py" line="118"/>
        <source>No visits yet.</source>
        <translation>Belum ada kunjungan.</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/history.py" line="123"/>
        <source>No changes recorded on this laptop.</source>
        <translation>Belum ada perubahan yang tercatat di laptop ini.</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/history.py" line="130"/>
        <source>corrected by the record of {date}</source>
        <translation>dikoreksi oleh data tanggal {date}</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/history.py" line="133"/>
        <source>corrects the record of {date}</source>
        <translation>koreksi atas data tanggal {date}</translation>
    </message>
</context>
<context>
    <name>HomePage</name>
    <message>
        <location filename="../../../desktop_app/ui/home.py" line="137"/>
        <source>Reading what is waiting…</source>
        <extracomment>Coalesce a burst of records_changed signals into one read.</extracomment>
        <translation>Membaca pekerjaan yang menunggu…</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/home.py" line="185"/>
        <source>Could not read what is waiting.</source>
        <translation>Pekerjaan yang menunggu tidak dapat dibaca.</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/home.py" line="205"/>
        <source>Hello, {name}</source>
        <translation>Selamat bekerja, {name}</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/home.py" line="206"/>
        <source>What is waiting</source>
        <translation>Pekerjaan yang menunggu</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/home.py" line="229"/>
        <source>Click a line to open it.</source>
        <translation>Klik salah satu baris untuk membukanya.</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/home.py" line="232"/>
        <source>Drafts to finish</source>
        <translation>Draf yang belum selesai</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/home.py" line="234"/>
        <source>No drafts. Everything you started is finalised.</source>
        <translation>Tidak ada draf. Semua pekerjaan Anda sudah final.</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/home.py" line="243"/>
        <source>All drafts: {kind} ({count})</source>
        <translation>Semua draf {kind} ({count})</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/home.py" line="249"/>
        <source>Aid applicants to verify</source>
        <translation>Pemohon bantuan yang perlu diverifikasi</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/home.py" line="251"/>
        <source>No applicants are waiting for your visit.</source>
        <translation>Tidak ada pemohon yang menunggu kunjungan Anda.</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/home.py" line="256"/>
        <source>All aid applicants</source>
        <translation>Semua pemohon bantuan</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/home.py" line="261"/>
        <source>Cooperatives due for audit this year</source>
        <translation>Koperasi yang belum diperiksa tahun ini</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/home.py" line="264"/>
        <source>Every cooperative of your regency has been audited this year.</source>
        <translation>Semua koperasi di kabupaten/kota Anda sudah diperiksa tahun ini.</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/home.py" line="266"/>
        <source>last audit {date}</source>
        <translation>pemeriksaan terakhir {date}</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/home.py" line="267"/>
        <source>never audited</source>
        <translation>belum pernah diperiksa</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/home.py" line="271"/>
        <source>All cooperatives</source>
        <translation>Semua koperasi</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/home.py" line="275"/>
        <source>Changes not yet sent</source>
        <translation>Perubahan yang belum terkirim</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/home.py" line="277"/>
        <source>They are safe on this laptop and go to the province at the next sync.</source>
        <translation>Data aman di laptop ini dan akan terkirim ke provinsi pada sinkronisasi berikutnya.</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/home.py" line="279"/>
        <source>Everything has reached the province.</source>
        <translation>Semua data sudah sampai di provinsi.</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/home.py" line="281"/>
        <source>{count} changes were refused by the server and wait for you.</source>
        <translation>{count} perubahan ditolak server dan menunggu tindak lanjut Anda.</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/home.py" line="284"/>
        <source>Last successful sync: {time}</source>
        <translation>Sinkronisasi terakhir berhasil: {time}</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/home.py" line="287"/>
        <source>This laptop has not synced yet.</source>
        <translation>Laptop ini belum pernah melakukan sinkronisasi.</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/home.py" line="290"/>
        <source>The last attempt failed: {time}</source>
        <translation>Percobaan terakhir gagal: {time}</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/home.py" line="294"/>
        <source>Sync now</source>
        <translation>Sinkronkan sekarang</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/home.py" line="299"/>
        <source>Conflicts to settle</source>
        <translation>Konflik yang perlu diselesaikan</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/home.py" line="301"/>
        <source>Two officers changed the same field; choose the value that stays.</source>
        <translation>Dua petugas mengubah isian yang sama; tentukan nilai yang dipakai.</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/home.py" line="302"/>
        <source>Open the conflicts</source>
        <translation>Buka daftar konflik</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/home.py" line="306"/>
        <source>Recovered work</source>
        <translation>Pekerjaan yang dipulihkan</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/home.py" line="307"/>
        <source>Forms that were open when Tapis stopped. Open one to continue or discard it.</source>
        <translation>Formulir yang masih terbuka saat Tapis berhenti. Buka untuk melanjutkan atau membuangnya.</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/home.py" line="309"/>
        <source>(untitled)</source>
        <translation>(tanpa judul)</translation>
    </message>
    <message>
        <source>OVERDUE since {date}</source>
        <translation>TERLAMBAT sejak {date}</translation>
    </message>
    <message>
        <source>due {date}</source>
        <translation>tenggat {date}</translation>
    </message>
    <message>
        <source>Visits assigned to you</source>
        <translation>Kunjungan yang ditugaskan kepada Anda</translation>
    </message>
    <message>
        <source>No visits are waiting for you. You may still record any visit.</source>
        <translation>Tidak ada kunjungan yang menunggu. Anda tetap boleh mencatat kunjungan apa pun.</translation>
    </message>
    <message>
        <source>Cooperatives due for audit</source>
        <translation>Koperasi yang harus diaudit</translation>
    </message>
    <message>
        <source>Every cooperative of your audit plan has been audited.</source>
        <translation>Semua koperasi dalam rencana audit Anda sudah diaudit.</translation>
    </message>
</context>
</TS>
