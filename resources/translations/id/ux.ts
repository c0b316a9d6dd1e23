<?xml version='1.0' encoding='utf-8'?>
<!DOCTYPE TS>
<TS version="2.1" language="id" sourcelanguage="en">
  <context>
    <name />
    <message>
      <source>&amp;Undo</source>
      <translation>&amp;Urungkan</translation>
    </message>
    <message>
      <source>The answer to {fields} was cleared: the question no longer applies. Undo brings it back until you save.</source>
      <translation>Jawaban {fields} dikosongkan karena pertanyaannya tidak berlaku lagi. Urungkan untuk mengembalikannya, selama belum disimpan.</translation>
    </message>
    <message>
      <source>Choose on a calendar (F4)</source>
      <translation>Pilih di kalender (F4)</translation>
    </message>
    <message>
      <source>Close the open form?</source>
      <translation>Tutup formulir yang terbuka?</translation>
    </message>
    <message>
      <source>DD/MM/YYYY</source>
      <translation>HH/BB/TTTT</translation>
    </message>
    <message>
      <source>Keep the draft and switch</source>
      <translation>Simpan draf dan ganti</translation>
    </message>
    <message>
      <source>{forms} has changes not saved yet. The window is rebuilt in the other language and the form opens again with what you typed.</source>
      <translation>{forms} memiliki perubahan yang belum disimpan. Jendela dibuka ulang dalam bahasa lain dan formulir terbuka lagi dengan isian Anda.</translation>
    </message>
    <message>
      <source>{forms} has changes not saved yet. They are kept on this laptop as your draft: after you sign in again, open it from Home (Recovered work).</source>
      <translation>{forms} memiliki perubahan yang belum disimpan. Perubahan itu disimpan di laptop ini sebagai draf Anda: setelah masuk lagi, buka dari Beranda (Pekerjaan dipulihkan).</translation>
    </message>
    <message>
      <source>, a comma for decimals</source>
      <translation>, koma untuk desimal</translation>
    </message>
    <message>
      <source>A date is typed as digits: 15032027 or 15/03/2027.</source>
      <translation>Tanggal diketik dengan angka: 15032027 atau 15/03/2027.</translation>
    </message>
    <message>
      <source>A rupiah amount is digits only (the dots come by themselves); the letter or sign just typed was not taken.</source>
      <translation>Jumlah rupiah hanya angka (titik ribuan muncul sendiri); huruf atau tanda yang baru diketik tidak diterima.</translation>
    </message>
    <message>
      <source>Check again</source>
      <translation>Periksa lagi</translation>
    </message>
    <message>
      <source>Only a number goes here (digits{point}); what was just typed was not taken.</source>
      <translation>Isian ini hanya angka (digit{point}); yang baru diketik tidak diterima.</translation>
    </message>
    <message>
      <source>Save anyway</source>
      <translation>Tetap simpan</translation>
    </message>
    <message>
      <source>Save these unusual answers?</source>
      <translation>Simpan jawaban yang tidak biasa ini?</translation>
    </message>
    <message>
      <source>Some answers are possible but unusual (marked in orange). Check them with the respondent; if they are right, save them as they are.</source>
      <translation>Beberapa jawaban mungkin saja benar tetapi tidak biasa (ditandai oranye). Periksa bersama responden; bila memang benar, simpan apa adanya.</translation>
    </message>
    <message>
      <source>&amp;New {what}…</source>
      <translation>{what} &amp;baru…</translation>
    </message>
    <message>
      <source>No {what} is registered in your regency yet. Register one with "New {what}…".</source>
      <translation>Belum ada {what} terdaftar di kabupaten/kota Anda. Daftarkan dengan "{what} baru…".</translation>
    </message>
    <message>
      <source>No {what} matches "{typed}". Check the spelling, or register a new one with "New {what}…".</source>
      <translation>Tidak ada {what} yang cocok dengan "{typed}". Periksa ejaannya, atau daftarkan yang baru dengan "{what} baru…".</translation>
    </message>
    <message>
      <source>&amp;Go</source>
      <translation>&amp;Buka</translation>
    </message>
    <message>
      <source>&amp;New record</source>
      <translation>Data &amp;baru</translation>
    </message>
    <message>
      <source>&amp;Records</source>
      <translation>&amp;Data</translation>
    </message>
    <message>
      <source>&amp;Search the list</source>
      <translation>&amp;Cari di daftar</translation>
    </message>
    <message>
      <source>S&amp;ync now</source>
      <translation>&amp;Sinkronkan sekarang</translation>
    </message>
    <message>
      <source>PRACTICE WORKSPACE — example records on this laptop only. Nothing here is ever sent to the server. To work for real: File → Switch officer.</source>
      <translation>RUANG LATIHAN — data contoh, hanya di laptop ini. Tidak ada yang pernah dikirim ke server. Untuk bekerja sungguhan: Berkas → Ganti petugas.</translation>
    </message>
    <message>
      <source>[PRACTICE] </source>
      <translation>[LATIHAN] </translation>
    </message>
    <message>
      <source>practice workspace</source>
      <translation>ruang latihan</translation>
    </message>
    <message>
      <source>&amp;Open the record to correct it</source>
      <translation>&amp;Buka data untuk diperbaiki</translation>
    </message>
    <message>
      <source>Completed</source>
      <translation>Selesai</translation>
    </message>
    <message>
      <source>Failed</source>
      <translation>Gagal</translation>
    </message>
    <message>
      <source>Fields</source>
      <translation>Isian</translation>
    </message>
    <message>
      <source>Note</source>
      <translation>Catatan</translation>
    </message>
    <message>
      <source>Photo or other data</source>
      <translation>Foto atau data lain</translation>
    </message>
    <message>
      <source>Received</source>
      <translation>Diterima</translation>
    </message>
    <message>
      <source>Record</source>
      <translation>Data</translation>
    </message>
    <message>
      <source>Result</source>
      <translation>Hasil</translation>
    </message>
    <message>
      <source>Sent</source>
      <translation>Dikirim</translation>
    </message>
    <message>
      <source>Started</source>
      <translation>Dimulai</translation>
    </message>
    <message>
      <source>Sync history</source>
      <translation>Riwayat sinkronisasi</translation>
    </message>
    <message>
      <source>Sync: refused changes and history</source>
      <translation>Sinkronisasi: perubahan ditolak dan riwayat</translation>
    </message>
    <message>
      <source>The server has refused none of your changes.</source>
      <translation>Tidak ada perubahan Anda yang ditolak server.</translation>
    </message>
    <message>
      <source>What you can do</source>
      <translation>Yang dapat Anda lakukan</translation>
    </message>
    <message>
      <source>Why the server refused it</source>
      <translation>Alasan server menolak</translation>
    </message>
    <message>
      <source>{count} changes were refused by the server. They are kept on this laptop and not sent again as they are; each line says why and what you can do.</source>
      <translation>{count} perubahan ditolak oleh server. Perubahan itu tetap tersimpan di laptop ini dan tidak dikirim lagi apa adanya; setiap baris menyebut alasannya dan yang dapat Anda lakukan.</translation>
    </message>
    <message>
      <source>(untitled)</source>
      <translation>(tanpa nama)</translation>
    </message>
  </context>
  <context>
    <name>SignInDialog</name>
    <message>
      <source>A separate practice workspace with example records: no server, no password, and nothing in it is ever sent.</source>
      <translation>Ruang latihan terpisah berisi data contoh: tanpa server, tanpa kata sandi, dan tidak ada yang pernah dikirim.</translation>
    </message>
    <message>
      <source>Try it with &amp;practice data</source>
      <translation>Coba dengan data &amp;latihan</translation>
    </message>
  </context>
  <context>
    <name>SyncBar</name>
    <message>
      <source>&lt;span style='color:#8a5a00'&gt;●&lt;/span&gt; Practice: never synced</source>
      <translation>&lt;span style='color:#8a5a00'&gt;●&lt;/span&gt; Latihan: tidak disinkronkan</translation>
    </message>
    <message>
      <source>This is the practice workspace: nothing in it is ever sent to the server.</source>
      <translation>Ini ruang latihan: isinya tidak pernah dikirim ke server.</translation>
    </message>
    <message>
      <source>Changes from the server this laptop could not apply, with the reason</source>
      <translation>Perubahan dari server yang tidak dapat diterapkan laptop ini, beserta alasannya</translation>
    </message>
    <message>
      <source>Set aside…</source>
      <translation>Disisihkan…</translation>
    </message>
    <message>
      <source>{count} changes from the server could not be applied here and were set aside (see Set aside…).</source>
      <translation>{count} perubahan dari server tidak dapat diterapkan di sini dan disisihkan (lihat Disisihkan…).</translation>
    </message>
  </context>
  <context>
    <name>HomePage</name>
    <message>
      <source>See the refused changes and what to do</source>
      <translation>Lihat perubahan yang ditolak dan yang perlu dilakukan</translation>
    </message>
    <message>
      <source>Sync history</source>
      <translation>Riwayat sinkronisasi</translation>
    </message>
    <message>
      <source>Practice workspace: these changes stay on this laptop and are never sent.</source>
      <translation>Ruang latihan: perubahan ini tetap di laptop ini dan tidak pernah dikirim.</translation>
    </message>
  </context>
  <context>
    <name>pages</name>
    <message>
      <source>Sync and refused changes</source>
      <translation>Sinkronisasi</translation>
    </message>
  </context>
  <context>
    <name>SetAsideView</name>
    <message>
      <source>Changes from the server not applied on this laptop</source>
      <translation>Perubahan dari server yang tidak diterapkan di laptop ini</translation>
    </message>
    <message>
      <source>Each was set aside with its reason and reported to the office; the rest of the data synced normally.</source>
      <translation>Setiap perubahan disisihkan beserta alasannya dan dilaporkan ke kantor dinas; data lainnya tersinkron seperti biasa.</translation>
    </message>
    <message>
      <source>Nothing was set aside.</source>
      <translation>Tidak ada yang disisihkan.</translation>
    </message>
    <message>
      <source>Reason</source>
      <translation>Alasan</translation>
    </message>
    <message>
      <source>Record</source>
      <translation>Data</translation>
    </message>
    <message>
      <source>Reported</source>
      <translation>Dilaporkan</translation>
    </message>
    <message>
      <source>When (WIB)</source>
      <translation>Waktu (WIB)</translation>
    </message>
    <message>
      <source>not yet</source>
      <translation>belum</translation>
    </message>
    <message>
      <source>yes</source>
      <translation>ya</translation>
    </message>
  </context>
  <context>
    <name>dialog</name>
    <message>
      <source>Set-aside changes</source>
      <translation>Perubahan yang disisihkan</translation>
    </message>
  </context>
</TS>