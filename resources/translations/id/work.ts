<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="id" sourcelanguage="en">
<context>
    <name />
    <message>
        <location filename="../../../desktop_app/ui/main_window.py" line="70" />
        <source>Tapis — Cooperative and UMKM records, Lampung</source>
        <translation>Tapis — Pendataan Koperasi dan UMKM Lampung</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/main_window.py" line="186" />
        <source>&amp;File</source>
        <translation>&amp;Berkas</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/main_window.py" line="187" />
        <source>&amp;Switch officer…</source>
        <translation>&amp;Ganti petugas…</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/main_window.py" line="190" />
        <source>Sign in again with the &amp;password…</source>
        <translation>Masuk lagi dengan &amp;kata sandi…</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/main_window.py" line="194" />
        <source>&amp;Quit</source>
        <translation>&amp;Keluar</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/main_window.py" line="198" />
        <source>&amp;View</source>
        <translation>&amp;Tampilan</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/main_window.py" line="199" />
        <source>&amp;Language</source>
        <translation>&amp;Bahasa</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/main_window.py" line="208" />
        <source>&amp;Help</source>
        <translation>Ba&amp;ntuan</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/main_window.py" line="209" />
        <source>&amp;About Tapis</source>
        <translation>&amp;Tentang Tapis</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/main_window.py" line="234" />
        <source>About Tapis</source>
        <translation>Tentang Tapis</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/main_window.py" line="235" />
        <source>Tapis {version}
Dinas Koperasi dan UKM Provinsi Lampung
Data folder: {path}</source>
        <translation>Tapis {version}
Dinas Koperasi dan UKM Provinsi Lampung
Folder data: {path}</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/dialogs.py" line="30" />
        <source>Something went wrong. Nothing you typed was lost; the details are in the log. Try again, and tell the office if it happens again.</source>
        <translation>Terjadi kesalahan. Tidak ada isian yang hilang; rinciannya tercatat di log. Coba lagi, dan beri tahu kantor bila terulang.</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/dialogs.py" line="33" />
        <location filename="../../../desktop_app/ui/dialogs.py" line="51" />
        <location filename="../../../desktop_app/ui/photos.py" line="148" />
        <source>Close</source>
        <translation>Tutup</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/backups_page.py" line="103" />
        <location filename="../../../desktop_app/ui/dialogs.py" line="44" />
        <location filename="../../../desktop_app/ui/job_pages.py" line="112" />
        <location filename="../../../desktop_app/ui/record_form.py" line="404" />
        <source>Cancel</source>
        <translation>Batal</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/record_list.py" line="58" />
        <source>Search by name, village or a whole NIK…</source>
        <extracomment>Column widths in average characters: the whole row fits 1366 pixels. open a record (its id), or start a new one (None)</extracomment>
        <translation>Cari nama, desa, atau NIK lengkap…</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/record_list.py" line="96" />
        <source>New survey…</source>
        <translation>Survei baru…</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/record_list.py" line="96" />
        <source>New audit…</source>
        <translation>Audit baru…</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/record_list.py" line="97" />
        <source>New verification…</source>
        <translation>Verifikasi baru…</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/record_list.py" line="97" />
        <source>New business</source>
        <translation>Usaha baru</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/record_list.py" line="98" />
        <source>New cooperative</source>
        <translation>Koperasi baru</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/record_list.py" line="98" />
        <source>New applicant</source>
        <translation>Pemohon baru</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/record_list.py" line="104" />
        <location filename="../../../desktop_app/ui/reports_page.py" line="70" />
        <source>All of Lampung</source>
        <translation>Seluruh Lampung</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/record_list.py" line="116" />
        <source>Village</source>
        <translation>Desa/kelurahan</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/record_list.py" line="120" />
        <location filename="../../../desktop_app/ui/reports_page.py" line="74" />
        <source>Any status</source>
        <translation>Semua status</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/record_list.py" line="125" />
        <source>Only mine</source>
        <translation>Hanya milik saya</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/record_list.py" line="132" />
        <location filename="../../../desktop_app/ui/reports_page.py" line="82" />
        <source>Regency/city</source>
        <translation>Kabupaten/kota</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/record_list.py" line="132" />
        <source>District</source>
        <translation>Kecamatan</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/record_list.py" line="144" />
        <source>All districts</source>
        <translation>Semua kecamatan</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/record_list.py" line="166" />
        <source>Searching…</source>
        <translation>Mencari…</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/record_list.py" line="174" />
        <source>The list could not be read: {reason}</source>
        <translation>Daftar tidak dapat dibaca: {reason}</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/record_form.py" line="184" />
        <source>← Back to the list</source>
        <extracomment>the officer left the form (back to the list) another record should open in its place (kind, record id or None, initial values)</extracomment>
        <translation>← Kembali ke daftar</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/record_form.py" line="198" />
        <source>History</source>
        <translation>Riwayat</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/record_form.py" line="200" />
        <location filename="../../../desktop_app/ui/record_form.py" line="408" />
        <source>Delete</source>
        <translation>Hapus</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/record_form.py" line="201" />
        <source>Correct…</source>
        <translation>Koreksi…</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/record_form.py" line="202" />
        <source>Save</source>
        <translation>Simpan</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/record_form.py" line="203" />
        <source>Save (Ctrl+S)</source>
        <translation>Simpan (Ctrl+S)</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/record_form.py" line="204" />
        <source>Finalise…</source>
        <translation>Finalkan…</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/record_form.py" line="206" />
        <source>Audit report (PDF)…</source>
        <translation>Laporan audit (PDF)…</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/record_form.py" line="219" />
        <source>New survey</source>
        <translation>Survei baru</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/record_form.py" line="219" />
        <source>New audit</source>
        <translation>Audit baru</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/record_form.py" line="220" />
        <source>New verification</source>
        <translation>Verifikasi baru</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/record_form.py" line="332" />
        <source>Written before: {village} — pick from the list</source>
        <translation>Tertulis sebelumnya: {village} — pilih dari daftar</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/record_form.py" line="367" />
        <source>Recovered what was typed here on {when} and not saved. Check it and save, or go back to discard it.</source>
        <translation>Isian yang diketik pada {when} dan belum disimpan telah dipulihkan. Periksa lalu simpan, atau kembali untuk membuangnya.</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/record_form.py" line="344" />
        <source>New {kind}</source>
        <translation>{kind} baru</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/record_form.py" line="370" />
        <source>Finalised on {when}: read only. A correction is made as a new record that replaces this one (Correct…).</source>
        <translation>Difinalkan pada {when}: hanya dapat dibaca. Koreksi dibuat sebagai data baru yang menggantikan data ini (Koreksi…).</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/record_form.py" line="373" />
        <source>This record was replaced by a correction; it is kept as it was.</source>
        <translation>Data ini sudah digantikan oleh koreksi; data ini disimpan apa adanya.</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/record_form.py" line="389" />
        <source>Not saved yet</source>
        <translation>Belum disimpan</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/record_form.py" line="386" />
        <source>Saved {time}</source>
        <translation>Tersimpan {time}</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/record_form.py" line="375" />
        <source>Not saved: correct the fields marked in red. What you typed is kept on this laptop.</source>
        <translation>Belum tersimpan: perbaiki isian yang ditandai merah. Isian Anda tetap tersimpan di laptop ini.</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/record_form.py" line="377" />
        <source>This record cannot be finalised yet: complete the fields marked.</source>
        <translation>Data ini belum dapat difinalkan: lengkapi isian yang ditandai.</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/record_form.py" line="394" />
        <source>Finalise this record?</source>
        <translation>Finalkan data ini?</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/record_form.py" line="395" />
        <source>After finalising, this {kind} is read only: its fields, its result and its photos can no longer be changed on any laptop. A mistake found later is corrected with a new record that replaces it, and both are kept.</source>
        <translation>Setelah difinalkan, {kind} ini hanya dapat dibaca: isian, hasil, dan fotonya tidak dapat diubah lagi di laptop mana pun. Kesalahan yang ditemukan kemudian dikoreksi dengan data baru yang menggantikannya, dan keduanya tetap disimpan.</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/record_form.py" line="399" />
        <source>Finalise</source>
        <translation>Finalkan</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/record_form.py" line="399" />
        <source>Keep editing</source>
        <translation>Lanjut mengisi</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/record_form.py" line="401" />
        <source>Correct this record?</source>
        <translation>Koreksi data ini?</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/record_form.py" line="402" />
        <source>A new draft with the same values is made; it replaces this record when you finalise it. This record stays as it was.</source>
        <translation>Draf baru dengan isian yang sama dibuat; draf itu menggantikan data ini setelah difinalkan. Data ini tetap seperti semula.</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/record_form.py" line="404" />
        <source>Make a correction</source>
        <translation>Buat koreksi</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/record_form.py" line="406" />
        <source>Delete this record?</source>
        <translation>Hapus data ini?</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/record_form.py" line="407" />
        <source>The record disappears from the lists on every laptop after the next sync.</source>
        <translation>Data ini hilang dari daftar di semua laptop setelah sinkronisasi berikutnya.</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/record_form.py" line="408" />
        <source>Keep it</source>
        <translation>Jangan hapus</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/record_form.py" line="409" />
        <source>Leave without saving?</source>
        <translation>Keluar tanpa menyimpan?</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/record_form.py" line="410" />
        <source>Some fields still have problems, so the record cannot be saved. What you typed is kept on this laptop and comes back when you open this form again.</source>
        <translation>Beberapa isian masih bermasalah sehingga data belum dapat disimpan. Isian Anda tetap tersimpan di laptop ini dan muncul lagi saat formulir ini dibuka.</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/record_form.py" line="412" />
        <source>Keep it and leave</source>
        <translation>Simpan sementara dan keluar</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/record_form.py" line="412" />
        <source>Stay here</source>
        <translation>Tetap di sini</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/record_form.py" line="284" />
        <source>Save the audit report as</source>
        <translation>Simpan laporan audit sebagai</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/record_form.py" line="296" />
        <source>Audit report written to {path}</source>
        <translation>Laporan audit ditulis ke {path}</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/result_panel.py" line="24" />
        <source>Size class (PP 7/2021)</source>
        <translation>Skala usaha (PP 7/2021)</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/result_panel.py" line="25" />
        <source>Cooperative health</source>
        <translation>Kesehatan koperasi</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/result_panel.py" line="57" />
        <source>Round: {round}, {amount} per recipient.</source>
        <translation>Tahap: {round}, {amount} per penerima.</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/result_panel.py" line="77" />
        <source>Fill in annual sales, monthly turnover or capital to see the size class.</source>
        <translation>Isi hasil penjualan tahunan, omzet per bulan, atau modal usaha untuk melihat skala usaha.</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/result_panel.py" line="80" />
        <source>Basis: {basis}.</source>
        <translation>Dasar: {basis}.</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/result_panel.py" line="82" />
        <source>An estimate: fill in the annual sales when the owner knows them.</source>
        <translation>Ini perkiraan: isi hasil penjualan tahunan bila pemilik mengetahuinya.</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/result_panel.py" line="84" />
        <source>No sales figure was given; an operating business is classed by its annual sales when they are known.</source>
        <translation>Tidak ada angka penjualan; usaha yang sudah berjalan ditetapkan skalanya dari hasil penjualan tahunan bila diketahui.</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/result_panel.py" line="95" />
        <source>{method}: fill in every entry to see the health score and category.</source>
        <translation>{method}: isi semua nilai untuk melihat skor dan predikat kesehatan.</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/result_panel.py" line="100" />
        <source>{score} of {top} — {category}</source>
        <translation>{score} dari {top} — {category}</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/result_panel.py" line="102" />
        <source>The total of the aspect scores, each up to its weight.</source>
        <translation>Jumlah skor aspek, masing-masing paling tinggi sebesar bobotnya.</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/result_panel.py" line="104" />
        <source>Each indicator's compliance ratio scores 1-4; the aspects' mean scores are weighed into one score of 1-4.</source>
        <translation>Rasio kepatuhan tiap indikator menghasilkan skor 1-4; rata-rata skor tiap aspek dibobot menjadi satu skor 1-4.</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/result_panel.py" line="106" />
        <source>Weights and bands are the province's reference data, not yet confirmed from the regulation's text.</source>
        <translation>Bobot dan batas predikat adalah data referensi provinsi, belum dikonfirmasi dari teks peraturan.</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/result_panel.py" line="26" />
        <source>Verification result</source>
        <translation>Hasil verifikasi</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/result_panel.py" line="65" />
        <source>Before finalising:</source>
        <translation>Sebelum difinalkan:</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/photos.py" line="59" />
        <source>Photos</source>
        <extracomment>a photo carried a GPS position (latitude, longitude) a photo needs a saved record to belong to; the form saves, then calls pick_file</extracomment>
        <translation>Foto</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/photos.py" line="70" />
        <source>No photos yet.</source>
        <translation>Belum ada foto.</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/photos.py" line="71" />
        <location filename="../../../desktop_app/ui/photos.py" line="116" />
        <source>Add photo…</source>
        <translation>Tambah foto…</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/photos.py" line="99" />
        <source>Choose photos</source>
        <translation>Pilih foto</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/photos.py" line="100" />
        <source>Photos (*.jpg *.jpeg *.png *.heic *.webp)</source>
        <translation>Foto (*.jpg *.jpeg *.png *.heic *.webp)</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/photos.py" line="109" />
        <source>Adding photos…</source>
        <translation>Menambahkan foto…</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/photos.py" line="142" />
        <source>Photo</source>
        <translation>Foto</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/job_pages.py" line="36" />
        <source>Loading…</source>
        <translation>Memuat…</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/job_pages.py" line="101" />
        <source>Choose: {what}</source>
        <translation>Pilih: {what}</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/job_pages.py" line="106" />
        <source>Type a name, village or a whole NIK…</source>
        <translation>Ketik nama, desa, atau NIK lengkap…</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/job_pages.py" line="111" />
        <source>Choose</source>
        <translation>Pilih</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/reports_page.py" line="45" />
        <source>Reports and exports</source>
        <translation>Laporan dan ekspor</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/reports_page.py" line="60" />
        <source>Lists and summaries</source>
        <translation>Daftar dan ringkasan</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/reports_page.py" line="64" />
        <source>UMKM surveys</source>
        <translation>Survei UMKM</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/reports_page.py" line="65" />
        <source>Cooperative register with audit results</source>
        <translation>Daftar koperasi dengan hasil audit</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/reports_page.py" line="66" />
        <source>Aid proposal list</source>
        <translation>Daftar usulan penerima bantuan</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/reports_page.py" line="74" />
        <source>Finalised only</source>
        <translation>Hanya yang final</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/reports_page.py" line="75" />
        <source>Drafts only</source>
        <translation>Hanya draf</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/reports_page.py" line="79" />
        <source>Excel workbook (.xlsx)</source>
        <translation>Buku kerja Excel (.xlsx)</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/reports_page.py" line="80" />
        <source>CSV for other programs (.csv)</source>
        <translation>CSV untuk program lain (.csv)</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/reports_page.py" line="81" />
        <source>List</source>
        <translation>Daftar</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/reports_page.py" line="85" />
        <source>to</source>
        <translation>s.d.</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/reports_page.py" line="88" />
        <source>Visits from</source>
        <translation>Kunjungan dari</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/reports_page.py" line="89" />
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/reports_page.py" line="90" />
        <source>Format</source>
        <translation>Format</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/reports_page.py" line="91" />
        <source>Export…</source>
        <translation>Ekspor…</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/reports_page.py" line="94" />
        <source>Regency summary (PDF)…</source>
        <translation>Ringkasan kabupaten/kota (PDF)…</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/reports_page.py" line="112" />
        <source>any</source>
        <translation>semua</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/reports_page.py" line="136" />
        <source>Export to</source>
        <translation>Ekspor ke</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/reports_page.py" line="144" />
        <source>Exporting…</source>
        <translation>Mengekspor…</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/reports_page.py" line="150" />
        <source>{rows} rows written to {path}</source>
        <translation>{rows} baris ditulis ke {path}</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/reports_page.py" line="160" />
        <source>Choose a regency</source>
        <translation>Pilih kabupaten/kota</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/reports_page.py" line="161" />
        <source>The summary is made for one regency or city: choose it first.</source>
        <translation>Ringkasan dibuat untuk satu kabupaten atau kota: pilih dahulu.</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/reports_page.py" line="164" />
        <source>Save the summary as</source>
        <translation>Simpan ringkasan sebagai</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/reports_page.py" line="171" />
        <source>Making the summary…</source>
        <translation>Membuat ringkasan…</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/reports_page.py" line="174" />
        <source>Summary written to {path}</source>
        <translation>Ringkasan ditulis ke {path}</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/reports_page.py" line="180" />
        <source>Sync without a connection (USB bundle)</source>
        <translation>Sinkron tanpa sinyal (bundel USB)</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/reports_page.py" line="182" />
        <source>No signal for weeks? Put everything not yet sent into one encrypted file, carry it to the office on a USB stick or send it by chat. The office imports it and forwards it to the province. It is safe to sync normally later: nothing is applied twice.</source>
        <translation>Tidak ada sinyal berminggu-minggu? Masukkan semua data yang belum terkirim ke satu berkas terenkripsi, bawa ke kantor dengan flashdisk atau kirim lewat aplikasi pesan. Kantor mengimpornya lalu meneruskannya ke provinsi. Sinkronisasi biasa sesudahnya tetap aman: tidak ada data yang diterapkan dua kali.</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/reports_page.py" line="189" />
        <source>Make a bundle…</source>
        <translation>Buat bundel…</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/reports_page.py" line="191" />
        <source>Import a bundle from a laptop…</source>
        <translation>Impor bundel dari laptop lain…</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/reports_page.py" line="201" />
        <source>Bundles imported here, waiting for or sent to the server:</source>
        <translation>Bundel yang diimpor di sini, menunggu atau sudah dikirim ke server:</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/reports_page.py" line="210" />
        <source>Save the bundle as</source>
        <translation>Simpan bundel sebagai</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/reports_page.py" line="218" />
        <source>Making the bundle…</source>
        <translation>Membuat bundel…</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/reports_page.py" line="233" />
        <source>{changes} changes and {photos} photos in {path} ({size}).</source>
        <translation>{changes} perubahan dan {photos} foto di {path} ({size}).</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/reports_page.py" line="240" />
        <source>{changes} changes and {photos} photos in {n} bundles, more than one bundle may hold ({size}): {paths}. Import them in this order.</source>
        <translation>{changes} perubahan dan {photos} foto dalam {n} bundel, lebih dari yang muat dalam satu bundel ({size}): {paths}. Impor sesuai urutan ini.</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/reports_page.py" line="237" />
        <source>{n} photos did not fit and go with the next bundle or sync.</source>
        <translation>{n} foto tidak muat dan ikut bundel atau sinkronisasi berikutnya.</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/reports_page.py" line="242" />
        <source>Choose a bundle</source>
        <translation>Pilih bundel</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/reports_page.py" line="253" />
        <source>Imported {changes} changes and {photos} photos; they go to the server with the next sync.</source>
        <translation>{changes} perubahan dan {photos} foto diimpor; dikirim ke server pada sinkronisasi berikutnya.</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/reports_page.py" line="257" />
        <source>This bundle was imported before; nothing was added.</source>
        <translation>Bundel ini sudah pernah diimpor; tidak ada yang ditambahkan.</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/reports_page.py" line="265" />
        <source>waiting for the next sync</source>
        <translation>menunggu sinkronisasi berikutnya</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/reports_page.py" line="265" />
        <source>sent to the server</source>
        <translation>terkirim ke server</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/reports_page.py" line="266" />
        <source>refused by the server</source>
        <translation>ditolak server</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/reports_page.py" line="268" />
        <source>{when}: {changes} changes, {photos} photos — {state}</source>
        <translation>{when}: {changes} perubahan, {photos} foto — {state}</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/reports_page.py" line="275" />
        <source>None yet.</source>
        <translation>Belum ada.</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/backups_page.py" line="32" />
        <source>Backups</source>
        <translation>Cadangan</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/backups_page.py" line="34" />
        <source>Tapis copies the database every 12 hours and before each version update, and keeps the newest copies. Restoring puts a copy back; the database it replaces is kept in this list. Changes made after the copy that were already sent come back with the next sync.</source>
        <translation>Tapis menyalin basis data setiap 12 jam dan sebelum setiap pembaruan versi, dan menyimpan salinan terbaru. Pemulihan mengembalikan satu salinan; basis data yang digantikan tetap ada di daftar ini. Perubahan setelah salinan dibuat yang sudah terkirim akan kembali pada sinkronisasi berikutnya.</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/backups_page.py" line="41" />
        <source>Taken</source>
        <translation>Dibuat</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/backups_page.py" line="41" />
        <source>Kind</source>
        <translation>Jenis</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/backups_page.py" line="41" />
        <source>Size</source>
        <translation>Ukuran</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/backups_page.py" line="49" />
        <source>Take a backup now</source>
        <translation>Buat cadangan sekarang</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/backups_page.py" line="51" />
        <source>Restore the selected backup…</source>
        <translation>Pulihkan cadangan terpilih…</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/backups_page.py" line="88" />
        <source>Backup taken.</source>
        <translation>Cadangan dibuat.</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/backups_page.py" line="98" />
        <source>Restore this backup?</source>
        <translation>Pulihkan cadangan ini?</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/backups_page.py" line="99" />
        <source>The database goes back to {when}. The current database is kept aside in this list, so this can be undone. Work saved after that time and never sent stays only in the kept copy. Afterwards, sign in again.</source>
        <translation>Basis data kembali ke keadaan {when}. Basis data sekarang disimpan di daftar ini sehingga pemulihan dapat dibatalkan. Pekerjaan yang disimpan setelah waktu itu dan belum terkirim hanya ada di salinan yang disimpan. Setelah itu, masuk lagi.</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/backups_page.py" line="103" />
        <source>Restore</source>
        <translation>Pulihkan</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/backups_page.py" line="114" />
        <source>Restoring…</source>
        <translation>Memulihkan…</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/editors.py" line="356" />
        <source>(weight {weight})</source>
        <translation>(bobot {weight})</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/editors.py" line="391" />
        <source>score {score}</source>
        <translation>skor {score}</translation>
    </message>
</context>
<context>
    <name>RecordList</name>
    <message numerus="yes">
        <location filename="../../../desktop_app/ui/record_list.py" line="170" />
        <source>%n record(s)</source>
        <translation>
            <numerusform>%n data</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>columns</name>
    <message>
        <location filename="../../../desktop_app/ui/records_model.py" line="41" />
        <source>Name</source>
        <translation>Nama</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/records_model.py" line="42" />
        <location filename="../../../desktop_app/ui/records_model.py" line="51" />
        <source>Village</source>
        <translation>Desa/kelurahan</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/records_model.py" line="43" />
        <source>District</source>
        <translation>Kecamatan</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/records_model.py" line="44" />
        <location filename="../../../desktop_app/ui/records_model.py" line="54" />
        <source>Regency/city</source>
        <translation>Kabupaten/kota</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/records_model.py" line="45" />
        <location filename="../../../desktop_app/ui/records_model.py" line="55" />
        <source>Last changed</source>
        <translation>Terakhir diubah</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/records_model.py" line="47" />
        <source>NIK</source>
        <translation>NIK</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/records_model.py" line="49" />
        <source>Visit date</source>
        <translation>Tanggal kunjungan</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/records_model.py" line="50" />
        <source>Visited</source>
        <translation>Dikunjungi</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/records_model.py" line="52" />
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/records_model.py" line="53" />
        <source>Result</source>
        <translation>Hasil</translation>
    </message>
</context>
<context>
    <name>pages</name>
    <message>
        <location filename="../../../desktop_app/ui/main_window.py" line="44" />
        <source>Home</source>
        <translation>Beranda</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/main_window.py" line="45" />
        <source>FIELD WORK</source>
        <translation>PEKERJAAN LAPANGAN</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/main_window.py" line="46" />
        <source>UMKM surveys</source>
        <translation>Survei UMKM</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/main_window.py" line="47" />
        <source>Cooperative audits</source>
        <translation>Audit koperasi</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/main_window.py" line="48" />
        <source>Aid verifications</source>
        <translation>Verifikasi bantuan</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/main_window.py" line="50" />
        <source>REGISTERS</source>
        <translation>DATA INDUK</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/main_window.py" line="51" />
        <source>Businesses</source>
        <translation>Usaha (UMKM)</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/main_window.py" line="52" />
        <source>Cooperatives</source>
        <translation>Koperasi</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/main_window.py" line="53" />
        <source>Aid applicants</source>
        <translation>Pemohon bantuan</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/main_window.py" line="54" />
        <source>OFFICE</source>
        <translation>KANTOR</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/main_window.py" line="55" />
        <source>Dashboard</source>
        <translation>Dasbor</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/main_window.py" line="56" />
        <source>Conflicts</source>
        <translation>Konflik data</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/main_window.py" line="57" />
        <source>Aid approvals</source>
        <translation>Persetujuan bantuan</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/main_window.py" line="57" />
        <source>Reports and exports</source>
        <translation>Laporan dan ekspor</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/main_window.py" line="58" />
        <source>Backups</source>
        <translation>Cadangan</translation>
    </message>
</context>
<context>
    <name>sections</name>
    <message>
        <location filename="../../../desktop_app/ui/form_layouts.py" line="20" />
        <source>Location</source>
        <translation>Lokasi</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/form_layouts.py" line="22" />
        <source>Location and notes</source>
        <translation>Lokasi dan catatan</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/form_layouts.py" line="27" />
        <source>Business and owner</source>
        <translation>Usaha dan pemilik</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/form_layouts.py" line="32" />
        <source>Cooperative</source>
        <translation>Koperasi</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/form_layouts.py" line="34" />
        <source>Members and status</source>
        <translation>Anggota dan status</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/form_layouts.py" line="39" />
        <source>Applicant (as on the KTP-el and KK)</source>
        <translation>Pemohon (sesuai KTP-el dan KK)</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/form_layouts.py" line="41" />
        <source>Aid round</source>
        <translation>Tahap bantuan</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/form_layouts.py" line="43" />
        <source>Business</source>
        <translation>Usaha</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/form_layouts.py" line="48" />
        <location filename="../../../desktop_app/ui/form_layouts.py" line="62" />
        <location filename="../../../desktop_app/ui/form_layouts.py" line="75" />
        <source>Visit</source>
        <translation>Kunjungan</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/form_layouts.py" line="49" />
        <source>Capital and turnover</source>
        <translation>Modal dan omzet</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/form_layouts.py" line="52" />
        <source>Workers</source>
        <translation>Tenaga kerja</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/form_layouts.py" line="54" />
        <source>Digital adoption</source>
        <translation>Pemanfaatan digital</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/form_layouts.py" line="56" />
        <source>Needs and training</source>
        <translation>Kebutuhan dan pelatihan</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/form_layouts.py" line="64" />
        <source>Members</source>
        <translation>Anggota</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/form_layouts.py" line="65" />
        <source>Finances</source>
        <translation>Keuangan</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/form_layouts.py" line="68" />
        <source>Health assessment</source>
        <translation>Penilaian kesehatan</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/form_layouts.py" line="70" />
        <source>Findings and recommendations</source>
        <translation>Temuan dan rekomendasi</translation>
    </message>
    <message>
        <location filename="../../../desktop_app/ui/form_layouts.py" line="77" />
        <source>Eligibility checklist</source>
        <translation>Daftar periksa kelayakan</translation>
    </message>
</context>
</TS>