# Builds SENDesk for Windows: the one-folder app (dist\SENDesk\) and, when Inno Setup is
# installed, the per-user installer (dist\SENDesk-<version>-setup.exe).
# Run from a PowerShell prompt in the repository, with Python 3.11 on the PATH:
#   powershell -ExecutionPolicy Bypass -File installer\build_windows.ps1
$ErrorActionPreference = "Stop"
Set-Location (Join-Path $PSScriptRoot "..")
$start = Get-Date
if (-not (Test-Path .venv)) { py -3.11 -m venv .venv }
.venv\Scripts\python -m pip install --upgrade pip
.venv\Scripts\python -m pip install -e ".[package]" -c constraints.txt
$version = (.venv\Scripts\python -c "import sendesk; print(sendesk.__version__)").Trim()
if (Test-Path dist\SENDesk) { Remove-Item -Recurse -Force dist\SENDesk }
.venv\Scripts\pyinstaller --noconfirm --log-level WARN --workpath build\pyinstaller --distpath dist installer\sendesk.spec
# A quick check of the built program before packaging it.
$env:SENDESK_PASSPHRASE = "correct horse battery staple"
dist\SENDesk\sendesk-cli.exe --version
$iscc = "${env:ProgramFiles(x86)}\Inno Setup 6\ISCC.exe"
if (Test-Path $iscc) {
    & $iscc "/DAppVersion=$version" installer\sendesk.iss
} else {
    Write-Warning "Inno Setup 6 is not installed: dist\SENDesk\ is built, the installer is not."
}
$size = (Get-ChildItem -Recurse dist\SENDesk | Measure-Object -Sum Length).Sum / 1MB
"Built in {0:N0} s; dist\SENDesk is {1:N0} MB" -f ((Get-Date) - $start).TotalSeconds, $size
