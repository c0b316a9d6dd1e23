<?xml version='1.0' encoding='utf-8'?>
<!DOCTYPE TS>
<TS version="2.1" language="id" sourcelanguage="en">
  <context>
    <name />
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
  </context>
</TS>