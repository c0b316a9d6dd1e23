<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="id" sourcelanguage="en">
    <context>
        <name>ConflictsPage</name>
        <message>
            <location filename="../../../desktop_app/ui/conflicts.py" line="48" />
            <source>Conflicts</source>
            <translation>Konflik data</translation>
        </message>
        <message>
            <location filename="../../../desktop_app/ui/conflicts.py" line="50" />
            <source>Two officers changed the same field without a connection. The server kept the first value; choose which one is right, or type the right value. Every laptop gets your choice at its next sync.</source>
            <translation>Dua petugas mengubah isian yang sama saat luring. Server menyimpan nilai yang pertama; pilih nilai yang benar, atau ketik nilai yang benar. Semua laptop menerima pilihan Anda pada sinkronisasi berikutnya.</translation>
        </message>
        <message>
            <location filename="../../../desktop_app/ui/conflicts.py" line="54" />
            <source>&amp;Refresh</source>
            <translation>&amp;Muat ulang</translation>
        </message>
        <message>
            <location filename="../../../desktop_app/ui/conflicts.py" line="95" />
            <source>Value kept on the server</source>
            <translation>Nilai yang disimpan server</translation>
        </message>
        <message>
            <location filename="../../../desktop_app/ui/conflicts.py" line="97" />
            <source>The other officer's value</source>
            <translation>Nilai dari petugas lain</translation>
        </message>
        <message>
            <location filename="../../../desktop_app/ui/conflicts.py" line="105" />
            <source>Neither: type the right value</source>
            <translation>Keduanya salah: ketik nilai yang benar</translation>
        </message>
        <message>
            <location filename="../../../desktop_app/ui/conflicts.py" line="107" />
            <source>&amp;Use this value</source>
            <translation>&amp;Pakai nilai ini</translation>
        </message>
        <message>
            <location filename="../../../desktop_app/ui/conflicts.py" line="136" />
            <source>Keep this value</source>
            <translation>Pilih nilai ini</translation>
        </message>
        <message>
            <location filename="../../../desktop_app/ui/conflicts.py" line="151" />
            <source>Only a supervisor can settle conflicts.</source>
            <translation>Hanya supervisor yang dapat menyelesaikan konflik data.</translation>
        </message>
        <message>
            <location filename="../../../desktop_app/ui/conflicts.py" line="154" />
            <source>Asking the server for open conflicts…</source>
            <translation>Meminta daftar konflik dari server…</translation>
        </message>
        <message>
            <location filename="../../../desktop_app/ui/conflicts.py" line="171" />
            <source>Open conflicts: {count}.</source>
            <translation>Konflik terbuka: {count}.</translation>
        </message>
        <message>
            <location filename="../../../desktop_app/ui/conflicts.py" line="177" />
            <source>No open conflicts. Nothing to settle.</source>
            <translation>Tidak ada konflik terbuka. Tidak ada yang perlu diselesaikan.</translation>
        </message>
        <message>
            <location filename="../../../desktop_app/ui/conflicts.py" line="182" />
            <source>The conflicts are on the server and there is no connection now. Try again when there is a signal; nothing is lost meanwhile.</source>
            <translation>Daftar konflik ada di server, dan saat ini tidak ada koneksi. Coba lagi saat ada sinyal; tidak ada data yang hilang.</translation>
        </message>
        <message>
            <location filename="../../../desktop_app/ui/conflicts.py" line="212" />
            <source>Field: {field}</source>
            <translation>Isian: {field}</translation>
        </message>
        <message>
            <location filename="../../../desktop_app/ui/conflicts.py" line="219" />
            <source>(empty)</source>
            <translation>(kosong)</translation>
        </message>
        <message>
            <location filename="../../../desktop_app/ui/conflicts.py" line="220" />
            <source>Yes</source>
            <translation>Ya</translation>
        </message>
        <message>
            <location filename="../../../desktop_app/ui/conflicts.py" line="220" />
            <source>No</source>
            <translation>Tidak</translation>
        </message>
        <message>
            <location filename="../../../desktop_app/ui/conflicts.py" line="223" />
            <source>by {officer}, {when}</source>
            <translation>oleh {officer}, {when}</translation>
        </message>
        <message>
            <location filename="../../../desktop_app/ui/conflicts.py" line="224" />
            <source>an officer of the regency</source>
            <translation>petugas kabupaten/kota</translation>
        </message>
        <message>
            <location filename="../../../desktop_app/ui/conflicts.py" line="237" />
            <source>That is not a valid value for this field.</source>
            <translation>Nilai ini tidak sesuai untuk isian tersebut.</translation>
        </message>
        <message>
            <location filename="../../../desktop_app/ui/conflicts.py" line="241" />
            <source>Type the right value first.</source>
            <translation>Ketik dulu nilai yang benar.</translation>
        </message>
        <message>
            <location filename="../../../desktop_app/ui/conflicts.py" line="259" />
            <source>Settled; the laptops get the chosen value at their next sync.</source>
            <translation>Selesai; laptop petugas menerima nilai yang dipilih pada sinkronisasi berikutnya.</translation>
        </message>
        <message>
            <location filename="../../../desktop_app/ui/conflicts.py" line="263" />
            <source>No connection: the choice was not sent. Try again when there is a signal.</source>
            <translation>Tidak ada koneksi: pilihan belum terkirim. Coba lagi saat ada sinyal.</translation>
        </message>
    </context>
    <context>
        <name>SignInDialog</name>
        <message>
            <location filename="../../../desktop_app/ui/sign_in.py" line="45" />
            <source>Tapis — sign in</source>
            <translation>Tapis — masuk</translation>
        </message>
        <message>
            <location filename="../../../desktop_app/ui/sign_in.py" line="57" />
            <source>Dinas Koperasi dan UKM Provinsi Lampung</source>
            <translation>Dinas Koperasi dan UKM Provinsi Lampung</translation>
        </message>
        <message>
            <location filename="../../../desktop_app/ui/sign_in.py" line="88" />
            <source>&amp;Open</source>
            <translation>&amp;Buka</translation>
        </message>
        <message>
            <location filename="../../../desktop_app/ui/sign_in.py" line="91" />
            <source>&amp;First sign-in on this laptop…</source>
            <translation>Masuk &amp;pertama kali di laptop ini…</translation>
        </message>
        <message>
            <location filename="../../../desktop_app/ui/sign_in.py" line="95" />
            <source>Choose your name and type your PIN. No connection is needed.</source>
            <translation>Pilih nama Anda lalu ketik PIN. Tidak perlu koneksi internet.</translation>
        </message>
        <message>
            <location filename="../../../desktop_app/ui/sign_in.py" line="98" />
            <source>&amp;Officer</source>
            <translation>Pe&amp;tugas</translation>
        </message>
        <message>
            <location filename="../../../desktop_app/ui/sign_in.py" line="100" />
            <source>&amp;PIN</source>
            <translation>&amp;PIN</translation>
        </message>
        <message>
            <location filename="../../../desktop_app/ui/sign_in.py" line="141" />
            <source>Type your PIN.</source>
            <translation>Ketik PIN Anda.</translation>
        </message>
        <message>
            <location filename="../../../desktop_app/ui/sign_in.py" line="164" />
            <source>The first time on this laptop you need a connection: sign in with your password and choose a PIN of 6 to 12 digits for the days without signal.</source>
            <translation>Pertama kali di laptop ini perlu koneksi internet: masuk dengan kata sandi, lalu buat PIN 6 sampai 12 angka untuk hari-hari tanpa sinyal.</translation>
        </message>
        <message>
            <location filename="../../../desktop_app/ui/sign_in.py" line="169" />
            <source>&amp;Server address</source>
            <translation>Alamat &amp;server</translation>
        </message>
        <message>
            <location filename="../../../desktop_app/ui/sign_in.py" line="170" />
            <source>&amp;Username</source>
            <translation>&amp;Nama pengguna</translation>
        </message>
        <message>
            <location filename="../../../desktop_app/ui/sign_in.py" line="171" />
            <source>Pass&amp;word</source>
            <translation>&amp;Kata sandi</translation>
        </message>
        <message>
            <location filename="../../../desktop_app/ui/sign_in.py" line="172" />
            <source>&amp;New PIN</source>
            <translation>PIN &amp;baru</translation>
        </message>
        <message>
            <location filename="../../../desktop_app/ui/sign_in.py" line="173" />
            <source>PIN a&amp;gain</source>
            <translation>&amp;Ulangi PIN</translation>
        </message>
        <message>
            <location filename="../../../desktop_app/ui/sign_in.py" line="177" />
            <source>&amp;Sign in</source>
            <translation>&amp;Masuk</translation>
        </message>
        <message>
            <location filename="../../../desktop_app/ui/sign_in.py" line="180" />
            <source>&amp;Back to PIN</source>
            <translation>&amp;Kembali ke PIN</translation>
        </message>
        <message>
            <location filename="../../../desktop_app/ui/sign_in.py" line="215" />
            <source>Fill in this field.</source>
            <translation>Isian ini wajib diisi.</translation>
        </message>
        <message>
            <location filename="../../../desktop_app/ui/sign_in.py" line="223" />
            <source>The two PINs differ. Type the same PIN twice.</source>
            <translation>Kedua PIN tidak sama. Ketik PIN yang sama dua kali.</translation>
        </message>
        <message>
        <source>New passwo&amp;rd</source>
        <translation>Kata sandi ba&amp;ru</translation>
    </message>
    <message>
        <source>New password ag&amp;ain</source>
        <translation>U&amp;langi kata sandi baru</translation>
    </message>
</context>
    <context>
        <name>SyncBar</name>
        <message>
            <location filename="../../../desktop_app/ui/sync_bar.py" line="106" />
            <source>Cancel</source>
            <extracomment>The probe interval grows up to this many times PROBE_SECONDS while offline. With nothing waiting, an automatic sync still pulls when the last one is older. Counts are re-read this long after the last change (a batch import saves many).</extracomment>
            <translation>Batal</translation>
        </message>
        <message>
            <location filename="../../../desktop_app/ui/sync_bar.py" line="109" />
            <source>Sync now</source>
            <translation>Sinkronkan sekarang</translation>
        </message>
        <message>
            <location filename="../../../desktop_app/ui/sync_bar.py" line="111" />
            <source>Send what waits on this laptop and fetch what others changed</source>
            <translation>Kirim data yang menunggu di laptop ini dan ambil perubahan dari petugas lain</translation>
        </message>
        <message>
            <location filename="../../../desktop_app/ui/sync_bar.py" line="133" />
            <source>Checking connection…</source>
            <translation>Memeriksa koneksi…</translation>
        </message>
        <message>
            <location filename="../../../desktop_app/ui/sync_bar.py" line="135" />
            <source>Online</source>
            <translation>Daring</translation>
        </message>
        <message>
            <location filename="../../../desktop_app/ui/sync_bar.py" line="137" />
            <source>Offline</source>
            <translation>Luring</translation>
        </message>
        <message>
            <location filename="../../../desktop_app/ui/sync_bar.py" line="154" />
            <source>Waiting to send: {records} records, {photos} photos</source>
            <translation>Menunggu dikirim: {records} data, {photos} foto</translation>
        </message>
        <message>
            <location filename="../../../desktop_app/ui/sync_bar.py" line="157" />
            <source>Nothing waiting to send</source>
            <translation>Semua data sudah terkirim</translation>
        </message>
        <message>
            <location filename="../../../desktop_app/ui/sync_bar.py" line="160" />
            <source>never</source>
            <translation>belum pernah</translation>
        </message>
        <message>
            <location filename="../../../desktop_app/ui/sync_bar.py" line="161" />
            <source>Last sync: {when}</source>
            <translation>Terakhir sinkron: {when}</translation>
        </message>
        <message>
            <location filename="../../../desktop_app/ui/sync_bar.py" line="163" />
            <location filename="../../../desktop_app/ui/sync_bar.py" line="243" />
            <source>{count} changes were refused by the server and are kept here; the office can see why.</source>
            <translation>{count} perubahan ditolak server dan tetap disimpan di laptop ini; kantor dapat melihat alasannya.</translation>
        </message>
        <message>
            <location filename="../../../desktop_app/ui/sync_bar.py" line="197" />
            <source>Sign in again with the password (when there is a connection) to sync.</source>
            <translation>Masuk lagi dengan kata sandi (saat ada koneksi) untuk sinkronisasi.</translation>
        </message>
        <message>
            <location filename="../../../desktop_app/ui/sync_bar.py" line="204" />
            <source>Starting…</source>
            <translation>Memulai…</translation>
        </message>
        <message>
            <location filename="../../../desktop_app/ui/sync_bar.py" line="212" />
            <source>Stopping…</source>
            <translation>Menghentikan…</translation>
        </message>
        <message>
            <location filename="../../../desktop_app/ui/sync_bar.py" line="218" />
            <source>Sending records</source>
            <translation>Mengirim data</translation>
        </message>
        <message>
            <location filename="../../../desktop_app/ui/sync_bar.py" line="218" />
            <source>Sending photos</source>
            <translation>Mengirim foto</translation>
        </message>
        <message>
            <location filename="../../../desktop_app/ui/sync_bar.py" line="219" />
            <source>Receiving records</source>
            <translation>Menerima data</translation>
        </message>
        <message>
            <location filename="../../../desktop_app/ui/sync_bar.py" line="221" />
            <location filename="../../../desktop_app/ui/sync_bar.py" line="224" />
            <source>{done} of {total}</source>
            <translation>{done} dari {total}</translation>
        </message>
        <message>
            <location filename="../../../desktop_app/ui/sync_bar.py" line="226" />
            <source>{sent} sent, {received} received</source>
            <translation>{sent} terkirim, {received} diterima</translation>
        </message>
        <message>
            <location filename="../../../desktop_app/ui/sync_bar.py" line="239" />
            <source>Sync finished: {pushed} sent, {pulled} received.</source>
            <translation>Sinkronisasi selesai: {pushed} terkirim, {pulled} diterima.</translation>
        </message>
        <message>
            <location filename="../../../desktop_app/ui/sync_bar.py" line="247" />
            <source>{count} fields were changed by two officers; a supervisor will choose.</source>
            <translation>{count} isian diubah oleh dua petugas; supervisor akan memilih nilai yang benar.</translation>
        </message>
        <message>
            <location filename="../../../desktop_app/ui/sync_bar.py" line="257" />
            <source>Sync cancelled; it goes on from there next time.</source>
            <translation>Sinkronisasi dibatalkan; akan dilanjutkan pada sinkronisasi berikutnya.</translation>
        </message>
        <message>
            <location filename="../../../desktop_app/ui/sync_bar.py" line="261" />
            <source>The server no longer accepts this laptop's sign-in. Sign in again with the password.</source>
            <translation>Server tidak lagi menerima sesi masuk laptop ini. Masuk lagi dengan kata sandi.</translation>
        </message>
    </context>
</TS>
