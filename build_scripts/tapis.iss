; Inno Setup 6 script for the Tapis Windows installer.
;
; Built by `python build_scripts/build.py --installer` (on Windows), which runs
;   ISCC.exe /DAppVersion=<pyproject version> /DFileVersion=<a.b.c.d> /DBundleDir=<dist\tapis> /O<dist\installer> tapis.iss
; The version is never written here: its one source is `version` in
; pyproject.toml, and compiling without /DAppVersion is an error.
;
; What it does for a regency office:
; - installs for the current user, without administrator rights
;   (%LOCALAPPDATA%\Programs\Tapis); an IT officer may pass /ALLUSERS;
; - Start-menu shortcut, and a desktop shortcut (a task, ticked by default);
; - the officer's data lives in %LOCALAPPDATA%\DinasKUKMLampung\Tapis
;   (platformdirs' user data folder), never in the install folder, so an
;   upgrade never touches it and uninstalling keeps it unless the officer
;   says otherwise (a question, default No; silent uninstall: keep, unless
;   /DELETEUSERDATA is passed);
; - an upgrade (same AppId) closes a running Tapis, removes the old bundle's
;   files and installs the new ones.

#ifndef AppVersion
  #error Pass the version: ISCC /DAppVersion=x.y.z (build_scripts/build.py does, from pyproject.toml)
#endif
#ifndef FileVersion
  #define FileVersion AppVersion
#endif
#ifndef BundleDir
  #define BundleDir "..\dist\tapis"
#endif

#define AppName "Tapis"
#define AppExe "tapis.exe"
#define Publisher "Dinas Koperasi dan UKM Provinsi Lampung"
; platformdirs.user_data_dir("Tapis", "DinasKUKMLampung") on Windows (desktop_app/paths.py)
#define DataDir "{localappdata}\DinasKUKMLampung\Tapis"

[Setup]
; AppId identifies Tapis across versions (upgrades, uninstall entry): never change it.
AppId={{6F1C2A8E-3B7D-4C59-9E2A-5D8B71A4C0F3}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher={#Publisher}
AppCopyright=(c) {#Publisher}
AppComments=Pendataan koperasi dan UMKM Lampung / field records for Lampung's cooperatives and UMKM
VersionInfoVersion={#FileVersion}
VersionInfoProductVersion={#FileVersion}
VersionInfoProductTextVersion={#AppVersion}
VersionInfoDescription={#AppName} {#AppVersion} Setup
; Per-user, no UAC prompt; {autopf} is %LOCALAPPDATA%\Programs in this mode.
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=commandline
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
DisableDirPage=auto
UsePreviousAppDir=yes
; The bundle is 64-bit (64-bit Python on the build runner).
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
WizardStyle=modern
SetupIconFile=..\resources\icons\tapis.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName} {#AppVersion}
OutputBaseFilename=tapis-{#AppVersion}-setup
Compression=lzma2/max
SolidCompression=yes
; Close a running Tapis (Restart Manager) before replacing its files.
CloseApplications=yes
RestartApplications=no
SetupLogging=yes
ShowLanguageDialog=auto

[Languages]
; Indonesian first: the wizard's language when Windows' is neither. Inno Setup
; ships no Indonesian, so Indonesian.isl (beside this script) carries the
; wizard's texts; read after Default.isl, anything it lacks stays English.
Name: "indonesian"; MessagesFile: "compiler:Default.isl,Indonesian.isl"
Name: "english"; MessagesFile: "compiler:Default.isl"

[CustomMessages]
; Our own texts, Indonesian first, in every wizard language.
DesktopIcon=Buat pintasan di desktop / Create a desktop shortcut
LaunchTapis=Jalankan Tapis sekarang / Start Tapis now
DeleteDataQuestion=Hapus juga data petugas (basis data, foto, cadangan) di%n%1?%n%nPilih Tidak untuk menyimpannya (disarankan: data yang belum tersinkron akan hilang).%n%nAlso delete the officer's data (database, photos, backups) in%n%1?%n%nChoose No to keep it (recommended: records not yet synced would be lost).

[Tasks]
Name: "desktopicon"; Description: "{cm:DesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[InstallDelete]
; An upgrade replaces the whole bundle: no stale library of the previous version
; stays in the install folder. Only the install folder: never the data folder.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#BundleDir}\{#AppExe}"; DestDir: "{app}"; Flags: ignoreversion
Source: "{#BundleDir}\_internal\*"; DestDir: "{app}\_internal"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"; Comment: "{#AppName} {#AppVersion}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Comment: "{#AppName} {#AppVersion}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchTapis}"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
; Anything Tapis may have left inside its own install folder. The data folder
; ({#DataDir}) is NOT listed here: it is removed only on request, in [Code].
Type: filesandordirs; Name: "{app}\_internal"
Type: dirifempty; Name: "{app}"

[Code]
function HasParam(const Name: String): Boolean;
var
  I: Integer;
begin
  Result := False;
  for I := 1 to ParamCount do
    if CompareText(ParamStr(I), Name) = 0 then
      Result := True;
end;

procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
var
  DataDir, Question: String;
  DeleteData: Boolean;
begin
  if CurUninstallStep <> usPostUninstall then
    exit;
  { The data folder of the user running the uninstaller (named in the question). }
  DataDir := ExpandConstant('{#DataDir}');
  if not DirExists(DataDir) then
    exit;
  if UninstallSilent then
    DeleteData := HasParam('/DELETEUSERDATA')
  else
  begin
    Question := FmtMessage(CustomMessage('DeleteDataQuestion'), [DataDir]);
    StringChangeEx(Question, '%n', #13#10, True);
    DeleteData := MsgBox(Question, mbConfirmation, MB_YESNO or MB_DEFBUTTON2) = IDYES;
  end;
  if DeleteData then
  begin
    Log('Deleting the officer''s data folder ' + DataDir);
    DelTree(DataDir, True, True, True);
    RemoveDir(ExpandConstant('{localappdata}\DinasKUKMLampung'));
  end
  else
    Log('Keeping the officer''s data folder ' + DataDir);
end;
