from nex_automat.cli import app

app(prog_name="nex-automat")
