"""Build tests/fixtures/sources/Fjellvik-strategi.pdf: a fictional Bokmål policy document as a real text PDF.

Why LaTeX: pdflatex is installed (reportlab is not), and it produces what municipal PDFs look like
to a text extractor: justified lines with end-of-line hyphenation, ligatures (fi, fl), running
headers and page numbers on every page, numbered headings in a larger bold font. Latin Modern
(T1) fonts keep æ, ø and å as single characters. Run from the repository root:

    python data/tools/build_pdf_fixture.py

The PDF is committed, so tests need no TeX; this script documents how it was made.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

OUT = Path("tests/fixtures/sources/Fjellvik-strategi.pdf")

BODY = r"""
\section*{1 Innledning}
Fjellvik kommune har siden 2019 arbeidet systematisk med digitalisering i barnehage og skole. Denne
strategien erstatter den forrige planen og gjelder for perioden 2026--2029. Den er utarbeidet av en
arbeidsgruppe med representanter fra barnehagene, skolene, IKT-avdelingen og foreldreutvalget, og
den ble vedtatt av kommunestyret i desember. Strategien skal gi en felles retning for hvordan
kommunen bruker digitale verktøy i opplæringen, og den skal gjøre det lettere å prioritere når
budsjettene er stramme. Vi har lagt vekt på at dokumentet skal være kort, konkret og mulig å
følge opp i det daglige arbeidet på hver enkelt enhet.

\section*{2 Mål for perioden}
Målet er at alle barn og elever i Fjellvik skal møte en trygg, inkluderende og faglig god
digital praksis. Lærerne skal ha den kompetansen de trenger for å bruke teknologien med skjønn,
og rektorene skal lede arbeidet med digitalisering som en del av skoleutviklingen. Vi vil at
foreldrene skal oppleve at kommunen tar personvern og informasjonssikkerhet på alvor, og at de
får god informasjon om hvilke digitale læremidler barna bruker. Et tydelig målbilde for 2029
beskriver hvor vi vil være: alle enheter har en felles plattform, og ingen elever står uten
tilgang til utstyr eller nettverk.

\section*{3 Tiltak}
Kommunen etablerer et nettverk for ressurspersoner som møtes fire ganger i året. Nettverket skal
dele erfaringer, prøve ut nye arbeidsmåter og gi råd til ledelsen. Hver skole utarbeider en
lokal handlingsplan som rulleres hvert år. Kompetanseutviklingen organiseres som en kombinasjon
av kurs, veiledning og kollegabasert læring i profesjonsfellesskapet. IKT-avdelingen og
oppvekstsektoren inngår en tjenesteavtale som beskriver ansvar, svartider og prioriteringer,
slik at det blir tydelig hvem som bestemmer hva. Vi evaluerer tiltakene hvert annet år, og
resultatene legges fram for hovedutvalget for oppvekst. Evalueringen skal bygge på både
brukerundersøkelser, kartlegginger og samtaler med ansatte, barn og foreldre.

\section*{4 Ansvar og oppfølging}
Kommunalsjef for oppvekst har det overordnede ansvaret for at strategien følges opp. Rektorer
og styrere har ansvar for gjennomføringen på sin enhet. Det pedagogiske IKT-nettverket
rapporterer til kommunalsjefen to ganger i året, og det utarbeides en kort årsrapport som
beskriver hva som er gjort, hva som gjenstår og hvilke erfaringer vi har gjort oss. Strategien
revideres i 2029, eller tidligere dersom nasjonale føringer eller kommunens økonomi gjør det
nødvendig. Fjellvik skal være en kommune der digitalisering er et middel for læring og trivsel,
ikke et mål i seg selv.

\section*{5 Personvern og informasjonssikkerhet}
Alle digitale læremidler som tas i bruk, skal vurderes med tanke på personvern før de innføres.
Kommunen har en egen rutine for risikovurdering, og personvernombudet skal involveres når nye
tjenester behandler personopplysninger om barn. Skolene skal bare bruke tjenester som står på
kommunens godkjente liste. Lærerne skal få opplæring i hvordan de vurderer nye verktøy, og
foreldrene skal få vite hvilke opplysninger som lagres, hvor lenge de lagres og hvem som har
tilgang til dem. Informasjonssikkerhet er et felles ansvar, og alle ansatte gjennomfører et
årlig kurs. Vi skal heller velge færre verktøy som vi kjenner godt, enn mange verktøy som ingen
har oversikt over.
"""

TEX = r"""\documentclass[12pt,a5paper]{article}
\usepackage[T1]{fontenc}
\usepackage[utf8]{inputenc}
\usepackage{lmodern}
\usepackage[margin=24mm,headsep=6mm]{geometry}
\usepackage{fancyhdr}
\pagestyle{fancy}
\fancyhf{}
\fancyhead[C]{\small Fjellvik kommune -- Digitaliseringsstrategi 2026--2029}
\fancyfoot[C]{\small \thepage}
\renewcommand{\headrulewidth}{0pt}
\hyphenation{digi-ta-li-se-ring ar-beids-grup-pe kom-pe-tan-se-ut-vik-lin-gen pro-fe-sjons-fel-les-ska-pet
 opp-vekst-sek-to-ren kom-mu-ne-sty-ret re-pre-sen-tan-ter in-for-ma-sjons-sik-ker-het res-surs-per-so-ner
 tje-nes-te-av-ta-le bru-ker-un-der-sø-kel-ser kart-leg-gin-ger kom-mu-nal-sjef skole-ut-vik-lin-gen}
\begin{document}
\thispagestyle{fancy}
{\Large\bfseries Digitaliseringsstrategi for oppvekst\par}
\vspace{4mm}
""" + BODY + r"""
\end{document}
"""


def main() -> None:
    if shutil.which("pdflatex") is None:
        raise SystemExit("pdflatex is needed (apt-get install texlive-latex-recommended)")
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "doc.tex").write_text(TEX, encoding="utf-8")
        for _ in range(2):
            subprocess.run(["pdflatex", "-interaction=nonstopmode", "doc.tex"], cwd=tmp, check=True,
                           capture_output=True)
        OUT.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(Path(tmp) / "doc.pdf", OUT)
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
