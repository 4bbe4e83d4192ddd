"""Screenshot a run's report.html (headless Chromium, 1280 px wide) and render its brief.pdf pages.

    python scripts/screenshot_report.py results/demo OUTDIR [--chromium /usr/bin/chromium]

Writes OUTDIR/report_top.png (first screen), OUTDIR/report_full.png (whole page) and
OUTDIR/brief-N.png (pdftoppm, 80 ppi) and prints the page's scroll width: a report wider than
the window scrolls sideways, which it must not. Used to look at what readers see (docs/images/).
"""

from __future__ import annotations

import argparse
import subprocess
from pathlib import Path


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("run", type=Path)
    ap.add_argument("out", type=Path)
    ap.add_argument("--chromium", default="/usr/bin/chromium")
    ap.add_argument("--width", type=int, default=1280)
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=args.chromium, args=["--no-sandbox", "--headless"])
        page = browser.new_page(viewport={"width": args.width, "height": 900})
        page.goto((args.run / "report.html").resolve().as_uri())
        page.wait_for_load_state("load")
        wide = page.evaluate("document.documentElement.scrollWidth")
        page.screenshot(path=str(args.out / "report_top.png"))
        page.screenshot(path=str(args.out / "report_full.png"), full_page=True)
        browser.close()
    print(f"scroll width at {args.width} px: {wide} px")
    if (args.run / "brief.pdf").exists():
        subprocess.run(
            ["pdftoppm", "-r", "80", "-png", str(args.run / "brief.pdf"), str(args.out / "brief")], check=True
        )


if __name__ == "__main__":
    main()
