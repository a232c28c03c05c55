; Inno Setup 6 script of Telpa's Windows installer (docs/install-windows.md).
;
; NOT YET BUILT OR RUN ON WINDOWS: it was written against Inno Setup 6's documentation on a
; Linux machine. docs/install-windows.md says what was verified where.
;
; Build, on Windows, after `scripts/build-bundle OUT` (Git Bash) has made OUT\telpa:
;   "C:\Program Files (x86)\Inno Setup 6\ISCC.exe" /DBundleDir=C:\path\to\OUT\telpa /DAppVersion=0.1.0 installer\telpa.iss
; which writes installer\Output\telpa-0.1.0-setup.exe. A relative BundleDir is taken from
; this file's folder (the default, ..\out\telpa, is the checkout's out\telpa).
;
; What it does:
; - installs the one-folder bundle (kiosk.exe for IT staff's commands, telpa.exe: the same
;   program without a console window, for the kiosk) to C:\Program Files\Telpa, with its
;   licenses folder (THIRD-PARTY.md and every licence text: scripts/bundle_licenses.py);
; - shows, before installing, the bundle's licenses\NOTICE.txt: it carries eSpeak NG and
;   ffmpeg under the GNU GPL, and says where their licence, source and written offer are;
; - creates C:\ProgramData\Telpa\config (administrators write, users only read) and
;   C:\ProgramData\Telpa\data (users may change), the folders kiosk/paths.py uses on Windows
;   (docs/folders.md);
; - optionally registers a scheduled task that starts `telpa.exe run` when the kiosk
;   account signs in (the account's name is asked, or given as /KIOSKUSER=name);
; - on uninstall removes the program and the task, and keeps ProgramData\Telpa: a library's
;   config, PIN, counts and children's creations are never removed by an installer.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#ifndef BundleDir
  #define BundleDir "..\out\telpa"
#endif

[Setup]
; The same AppId in every version: a new installer upgrades the old install in place.
AppId={{6E0D3C52-6B0B-4E0B-9C7E-5A4B1F1B7A11}
AppName=Telpa
AppVersion={#AppVersion}
AppPublisher=Telpa project (Ludza, Jekabpils, Rokiskis libraries)
DefaultDirName={autopf}\Telpa
DisableDirPage=yes
DisableProgramGroupPage=yes
PrivilegesRequired=admin
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
OutputBaseFilename=telpa-{#AppVersion}-setup
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
UninstallDisplayIcon={app}\kiosk.exe
; What the bundle carries and under which licences (GPL programs among them): shown as
; information, not as an agreement to accept; the GPL asks no acceptance for running them.
InfoBeforeFile={#BundleDir}\licenses\NOTICE.txt
; A running kiosk holds its files open: ask Windows to close it for the upgrade.
CloseApplications=yes
RestartApplications=no

[Languages]
; Inno Setup ships no Latvian or Lithuanian messages; IT staff install, not children.
Name: "en"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "startkiosk"; Description: "Start Telpa when the kiosk account signs in"; GroupDescription: "Kiosk:"

[InstallDelete]
; PyInstaller's _internal folder is replaced whole: a library left from the previous
; version must not be loaded by the new one.
Type: filesandordirs; Name: "{app}\_internal"
; Likewise the licences: a folder of a version no longer carried must not stay listed.
Type: filesandordirs; Name: "{app}\licenses"

[Files]
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Dirs]
; Kept on uninstall, whatever happens to the program.
Name: "{commonappdata}\Telpa"; Flags: uninsneveruninstall
Name: "{commonappdata}\Telpa\config"; Permissions: users-readexec; Flags: uninsneveruninstall
Name: "{commonappdata}\Telpa\data"; Permissions: users-modify; Flags: uninsneveruninstall

[Icons]
Name: "{autoprograms}\Telpa (try in a window)"; Filename: "{app}\telpa.exe"; Parameters: "run --windowed"
Name: "{autoprograms}\Telpa licences"; Filename: "{app}\licenses"

[Run]
; ProgramData's inherited rights let every user create files in a new subfolder: the config
; folder drops them, so only Administrators and SYSTEM change it and Users only read
; (S-1-5-32-544 Administrators, S-1-5-18 SYSTEM, S-1-5-32-545 Users; SIDs, because the
; group names are translated on Latvian and Lithuanian Windows).
Filename: "{sys}\icacls.exe"; Parameters: """{commonappdata}\Telpa\config"" /inheritance:r /grant:r *S-1-5-32-544:(OI)(CI)F *S-1-5-18:(OI)(CI)F *S-1-5-32-545:(OI)(CI)RX"; Flags: runhidden waituntilterminated; StatusMsg: "Protecting the config folder..."
; Starts telpa.exe (no console window) as the kiosk account at its sign-in, in its desktop
; session (/IT: only while it is signed in, so no password is stored). For Shell Launcher
; (Telpa instead of Explorer) use the same command line: docs/lockdown.md, section 2.7.
Filename: "{sys}\schtasks.exe"; Parameters: "/Create /F /TN ""Telpa\Kiosk"" /SC ONLOGON /RU ""{code:KioskUser}"" /IT /RL LIMITED /TR ""\""{app}\telpa.exe\"" run"""; Flags: runhidden waituntilterminated; Tasks: startkiosk; StatusMsg: "Registering the kiosk start..."

[UninstallRun]
Filename: "{sys}\schtasks.exe"; Parameters: "/Delete /F /TN ""Telpa\Kiosk"""; Flags: runhidden; RunOnceId: "DeleteKioskTask"

[Code]
var
  KioskUserPage: TInputQueryWizardPage;

procedure InitializeWizard;
begin
  KioskUserPage := CreateInputQueryPage(wpSelectTasks,
    'Kiosk account', 'Which Windows account do the children use?',
    'Telpa will start when this account signs in. It should be a standard (not administrator) account; docs/lockdown.md shows how to create it.');
  KioskUserPage.Add('Account name:', False);
  KioskUserPage.Values[0] := ExpandConstant('{param:KIOSKUSER|telpa}');
end;

function ShouldSkipPage(PageID: Integer): Boolean;
begin
  Result := (PageID = KioskUserPage.ID) and not WizardIsTaskSelected('startkiosk');
end;

function NextButtonClick(CurPageID: Integer): Boolean;
begin
  Result := True;
  if (CurPageID = KioskUserPage.ID) and (Trim(KioskUserPage.Values[0]) = '') then
  begin
    MsgBox('Type the name of the kiosk account (for example telpa).', mbError, MB_OK);
    Result := False;
  end;
end;

function KioskUser(Param: String): String;
begin
  Result := Trim(KioskUserPage.Values[0]);
end;
