"""A small, realistic indsatsvifte for demo mode and tests: measures, providers and standard contracts."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import select

from service import clock
from service.indsatsvifte.models import Indsats, Leverandoer, Standardkontrakt
from service.uow import UnitOfWork

_FOLLOW_UP = ("Leverandøren sender en statusrapport om målopfyldelsen 14 dage før hver opfølgning. Rådgiveren "
              "følger op efter 3 måneder og derefter hver 6. måned.")

INDSATSER = [
    {"kode": "familiebehandling", "navn": "Familiebehandling", "lovgrundlag": "BL § 32, stk. 1 (familiebehandling)",
     "maalgruppe": "Familier med børn 0–17 år, hvor samspillet i familien eller forældrenes omsorg giver barnet "
                   "mistrivsel, fx skolefravær, konflikter eller manglende struktur i hverdagen.",
     "formaal": "At forældrene får redskaber til at give barnet stabil omsorg, så barnet trives og kan blive "
                "i hjemmet.",
     "indhold": "Samtaler med familien i hjemmet og i familiehuset efter en systemisk og løsningsfokuseret metode; "
                "rådgiveren kan bestille et kort forløb (3 måneder) eller et intensivt forløb (6 måneder).",
     "omfang": "2–4 timer pr. uge", "hyppighed": "Ugentligt", "varighed": "3–6 måneder, højst 12 måneder",
     "opfoelgning": _FOLLOW_UP, "revisionsinterval_maaneder": 12,
     "samarbejdspartnere": "Skole og dagtilbud orienteres med forældrenes samtykke; PPR inddrages ved behov.",
     "leverandoerkrav": "Uddannet familiebehandler (socialrådgiver, psykolog eller pædagog med systemisk "
                        "efteruddannelse); børneattest; dokumentation af målopfyldelse.",
     "pris": Decimal("650.00"), "prisenhed": "time"},
    {"kode": "kontaktperson", "navn": "Fast kontaktperson", "lovgrundlag": "BL § 32, stk. 1 (fast kontaktperson)",
     "maalgruppe": "Børn og unge 10–17 år, der har brug for en stabil voksen for at komme i skole, fritidsliv "
                   "eller uddannelse.",
     "formaal": "At den unge får en fast voksen at støtte sig til og bliver fastholdt i skole og fritid.",
     "indhold": "Individuelle aftaler med den unge om skole, fritid og venskaber; kontaktpersonen deltager i "
                "netværksmøder.",
     "omfang": "3–6 timer pr. uge", "hyppighed": "1–2 gange om ugen", "varighed": "6–12 måneder",
     "opfoelgning": _FOLLOW_UP, "revisionsinterval_maaneder": 12,
     "samarbejdspartnere": "Skole, ungdomsskole og SSP.",
     "leverandoerkrav": "Relevant pædagogisk eller social uddannelse; børneattest; supervision mindst hver 6. uge.",
     "pris": Decimal("520.00"), "prisenhed": "time"},
    {"kode": "praktisk_stoette", "navn": "Praktisk pædagogisk støtte i hjemmet",
     "lovgrundlag": "BL § 32, stk. 1 (praktisk, pædagogisk eller anden støtte i hjemmet)",
     "maalgruppe": "Familier, der har brug for hjælp til struktur, rutiner og praktisk omsorg i hverdagen.",
     "formaal": "At familien får faste rutiner (morgen, måltider, sengetid), så barnet møder udhvilet i skole.",
     "indhold": "Hjemmebesøg på de tidspunkter af dagen, hvor familien har det sværest; konkret vejledning.",
     "omfang": "2–6 timer pr. uge", "hyppighed": "2–3 gange om ugen", "varighed": "3–6 måneder",
     "opfoelgning": _FOLLOW_UP, "revisionsinterval_maaneder": 12, "samarbejdspartnere": None,
     "leverandoerkrav": "Pædagogisk uddannelse; børneattest.", "pris": Decimal("600.00"), "prisenhed": "time"},
    {"kode": "aflastning", "navn": "Aflastning i plejefamilie", "lovgrundlag": "BL § 32, stk. 1 (aflastningsophold)",
     "maalgruppe": "Børn, hvis forældre har brug for aflastning for at kunne have barnet boende hjemme.",
     "formaal": "At familien kan holde sammen ved at forældrene får faste pauser.",
     "indhold": "Ophold i en godkendt aflastningsfamilie, typisk én weekend om måneden.",
     "omfang": "2–4 døgn pr. måned", "hyppighed": "Månedligt", "varighed": "Op til 12 måneder ad gangen",
     "opfoelgning": _FOLLOW_UP, "revisionsinterval_maaneder": 12, "samarbejdspartnere": None,
     "leverandoerkrav": "Godkendt plejefamilie (Socialtilsynet); børneattest.", "pris": Decimal("1150.00"),
     "prisenhed": "døgn"},
    {"kode": "foraeldrekursus", "navn": "Forældrekursus (tidligt forebyggende)",
     "lovgrundlag": "BL § 30 (tidligt forebyggende indsats)",
     "maalgruppe": "Forældre til børn 3–12 år med afgrænsede vanskeligheder, hvor familien selv ønsker hjælp.",
     "formaal": "At forældrene styrker deres samspil med barnet, før vanskelighederne vokser.",
     "indhold": "Holdforløb med 10 mødegange efter et evidensbaseret program; ingen afgørelse.",
     "omfang": "10 mødegange á 2,5 time", "hyppighed": "Ugentligt", "varighed": "3 måneder",
     "opfoelgning": "Evaluering med familien senest efter 6 måneder.", "revisionsinterval_maaneder": 24,
     "samarbejdspartnere": "Sundhedsplejen og dagtilbud kan henvise.",
     "leverandoerkrav": "Certificerede kursusledere i programmet.", "pris": Decimal("4500.00"),
     "prisenhed": "forløb"},
]

LEVERANDOERER = [
    {"kode": "familiehuset", "navn": "Familiehuset", "type": "kommunal", "adresse": "Skolegade 4, 4200 Slagelse",
     "kontaktperson": "Lene Leder", "telefon": "58 50 00 00", "email": "familiehuset@kommune.example"},
    {"kode": "ungekontakten", "navn": "Ungekontakten", "type": "kommunal", "adresse": "Havnevej 2, 4200 Slagelse",
     "kontaktperson": "Kim Kontakt", "telefon": "58 50 00 10", "email": "ungekontakten@kommune.example"},
    {"kode": "familiecenter_sydkysten", "navn": "Familiecenter Sydkysten ApS", "type": "privat",
     "adresse": "Strandvejen 10, 4700 Næstved", "kontaktperson": "Sara Sydkyst", "telefon": "55 00 00 00",
     "email": "kontakt@sydkysten.example"},
    {"kode": "familieplejen", "navn": "Familieplejen", "type": "kommunal", "adresse": "Rådhuspladsen 1, 4200 Slagelse",
     "kontaktperson": "Frida Familieplejekonsulent", "telefon": "58 50 00 20",
     "email": "familieplejen@kommune.example"},
]

# (indsats, leverandør, pris, prisenhed)
STANDARDKONTRAKTER = [
    ("familiebehandling", "familiehuset", "650.00", "time"),
    ("familiebehandling", "familiecenter_sydkysten", "720.00", "time"),
    ("praktisk_stoette", "familiehuset", "600.00", "time"),
    ("foraeldrekursus", "familiehuset", "4500.00", "forløb"),
    ("kontaktperson", "ungekontakten", "520.00", "time"),
    ("aflastning", "familieplejen", "1150.00", "døgn"),
]


def seed_catalogue(uow: UnitOfWork) -> int:
    """Add the demo catalogue unless the indsatsvifte already has measures; returns how many were added."""
    if uow.session.scalar(select(Indsats.id).limit(1)) is not None:
        return 0
    now = clock.now()
    indsatser = {d["kode"]: Indsats(**d, aktiv=True, oprettet=now, aendret=now) for d in INDSATSER}
    leverandoerer = {d["kode"]: Leverandoer(**d, aktiv=True, oprettet=now) for d in LEVERANDOERER}
    uow.session.add_all([*indsatser.values(), *leverandoerer.values()])
    uow.session.flush()
    for indsats, leverandoer, pris, enhed in STANDARDKONTRAKTER:
        uow.session.add(Standardkontrakt(
            indsats_id=indsatser[indsats].id, leverandoer_id=leverandoerer[leverandoer].id,
            gyldig_fra=date(2026, 1, 1), gyldig_til=date(2027, 12, 31), pris=Decimal(pris), prisenhed=enhed,
            betalingsbetingelser="Månedlig faktura bagud; betaling 30 dage netto.",
            samarbejdsbetingelser="Leverandøren underretter kommunen efter BL § 133 og orienterer rådgiveren "
                                  "straks om væsentlige ændringer i barnets forhold.",
            opfoelgning="Driftsmøde med leverandøren hvert halve år.",
            opsigelse="Den individuelle kontrakt kan opsiges med 1 måneds varsel; standardkontrakten med 3 måneders "
                      "varsel.", oprettet=now))
    uow.session.flush()
    return len(indsatser)
