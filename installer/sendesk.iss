; Inno Setup script: a per-user SENDesk install that needs no administrator rights.
; Build on Windows after installer\build_windows.ps1 has made dist\SENDesk\:
;   iscc /DAppVersion=0.1.0 installer\sendesk.iss
; The result is dist\SENDesk-<version>-setup.exe.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif

[Setup]
AppId={{6C1F3E8A-4B7D-4E0B-9C55-5E2D0B6A3F10}
AppName=SENDesk
AppVersion={#AppVersion}
AppPublisher=SENDesk
DefaultDirName={localappdata}\Programs\SENDesk
DefaultGroupName=SENDesk
DisableProgramGroupPage=yes
; Per user: no administrator rights, nothing written outside the user's profile.
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ChangesAssociations=yes
OutputDir=..\dist
OutputBaseFilename=SENDesk-{#AppVersion}-setup
SetupIconFile=..\resources\icons\sendesk.ico
UninstallDisplayIcon={app}\SENDesk.exe
Compression=lzma2/ultra64
SolidCompression=yes
WizardStyle=modern
ArchitecturesInstallIn64BitMode=x64compatible

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Files]
Source: "..\dist\SENDesk\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\SENDesk"; Filename: "{app}\SENDesk.exe"
Name: "{group}\Uninstall SENDesk"; Filename: "{uninstallexe}"
Name: "{userdesktop}\SENDesk"; Filename: "{app}\SENDesk.exe"; Tasks: desktopicon

[Tasks]
Name: "desktopicon"; Description: "Create a &desktop shortcut"; GroupDescription: "Shortcuts:"; Flags: unchecked

[Registry]
; .sendesk files open with SENDesk (per user, under HKCU\Software\Classes).
Root: HKA; Subkey: "Software\Classes\.sendesk"; ValueType: string; ValueName: ""; ValueData: "SENDesk.RecordFile"; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\SENDesk.RecordFile"; ValueType: string; ValueName: ""; ValueData: "SENDesk record file"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\SENDesk.RecordFile\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\SENDesk.exe,0"
Root: HKA; Subkey: "Software\Classes\SENDesk.RecordFile\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\SENDesk.exe"" gui ""%1"""

[Run]
Filename: "{app}\SENDesk.exe"; Description: "Start SENDesk now"; Flags: nowait postinstall skipifsilent
