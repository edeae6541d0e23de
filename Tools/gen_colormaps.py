#!/usr/bin/env python3
"""Writes the colormap tables of AstrolabePlot from matplotlib (pinned in Tools/requirements.txt):
each entry is matplotlib.colormaps[name](i / 255) rounded to 8 bits by to_hex, i = 0 ... 255.

    python Tools/gen_colormaps.py DIR    # writes DIR/ColormapTables.swift, DIR/SequentialColormapTables.swift,
                                         # DIR/DivergingColormapTables.swift
"""
import os
import sys

import matplotlib
from matplotlib import colormaps
from matplotlib.colors import to_hex

FILES = {
    "ColormapTables.swift": (
        f"// Generated from matplotlib {matplotlib.__version__} (matplotlib.colormaps[name](i/255) -> to_hex, i.e. rounded to 8 bits).\n"
        "// Do not edit by hand: these are the published tables, not approximations.\n"
        "// viridis, inferno, magma, plasma: Stefan van der Walt & Nathaniel Smith (CC0);\n"
        "// cividis: Nuñez, Anderton & Renslow 2018 (matplotlib licence); grey: linear ramp.\n",
        [("viridis", "viridis"), ("inferno", "inferno"), ("magma", "magma"), ("plasma", "plasma"),
         ("cividis", "cividis"), ("grey", "gray")],
    ),
    "SequentialColormapTables.swift": (
        f"// Generated from matplotlib {matplotlib.__version__} Blues (ColorBrewer sequential, light to dark blue);\n"
        '// matplotlib.colormaps["Blues"](i/255) -> to_hex. Do not edit by hand.\n',
        [("blues", "Blues")],
    ),
    "DivergingColormapTables.swift": (
        f"// Generated from matplotlib {matplotlib.__version__} coolwarm (Moreland 2009, diverging, colour-blind safe red/blue);\n"
        '// matplotlib.colormaps["coolwarm"](i/255) -> to_hex. Do not edit by hand.\n',
        [("coolwarm", "coolwarm")],
    ),
}


def table(swift_name, mpl_name):
    cmap = colormaps[mpl_name]
    entries = ["0x" + to_hex(cmap(i / 255))[1:].upper() for i in range(256)]
    lines = [f"    static let {swift_name}Table: [UInt32] = ["]
    for row in range(0, 256, 8):
        lines.append("        " + ", ".join(entries[row:row + 8]) + ",")
    lines.append("    ]")
    return lines


def main():
    directory = sys.argv[1]
    for file, (header, maps) in FILES.items():
        lines = [header, "extension Colormap {"]
        for swift_name, mpl_name in maps:
            lines += table(swift_name, mpl_name)
        lines.append("}")
        with open(os.path.join(directory, file), "w", encoding="utf-8") as out:
            out.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
