"""Writes Samples/fermi_4lac_counterparts.vot: the associated counterparts of the 4LAC blazars
(their names, positions, catalogue and redshift, from Samples/fermi_4lac.csv) as a VOTable in the
BINARY2 serialisation, so the crossmatch notebook loads a real VOTable and matches it by position
against the gamma-ray positions of the same sources.

Written with astropy 8.0.2 (numpy 2.4.6):
    /path/to/python Tools/make_4lac_counterparts_votable.py
Rows are sorted by counterpart name, so the file's order says nothing about the catalogue's.
"""
import csv
import numpy as np
from astropy.table import Table
from astropy.io.votable import from_table

rows = []
with open("Samples/fermi_4lac.csv", newline="") as f:
    for r in csv.DictReader(f):
        if r["ASSOC1"] and r["RA_Counterpart"] and r["DEC_Counterpart"]:
            rows.append(r)
rows.sort(key=lambda r: r["ASSOC1"])
t = Table()
t["name"] = [r["ASSOC1"] for r in rows]
t["ra"] = np.array([float(r["RA_Counterpart"]) for r in rows])
t["dec"] = np.array([float(r["DEC_Counterpart"]) for r in rows])
t["catalogue"] = [r["Counterpart_Catalog"] for r in rows]
t["z"] = np.ma.masked_invalid(np.array([float(r["Redshift"]) if r["Redshift"] else np.nan for r in rows]))
t["ra"].unit = "deg"; t["dec"].unit = "deg"
t["ra"].description = "counterpart right ascension (J2000)"
t["dec"].description = "counterpart declination (J2000)"
t["catalogue"].description = "catalogue the counterpart position comes from"
t["z"].description = "redshift (4LAC-DR3)"
vot = from_table(t)
vot.resources[0].tables[0].ID = "counterparts"
vot.to_xml("Samples/fermi_4lac_counterparts.vot", tabledata_format="binary2")
print(len(rows), "counterparts")
