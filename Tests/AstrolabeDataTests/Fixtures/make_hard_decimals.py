#!/usr/bin/env python3
"""Writes hard_decimals.csv: decimal strings that are hard to round correctly, each with the bit
pattern of the double Python's float() (correctly rounded, David Gay's algorithm) gives for it.
NumberParsingTests reads it. Deterministic (seeded); run from this folder:

    python3 make_hard_decimals.py
"""
import math
import random
import struct
from decimal import Decimal, getcontext

getcontext().prec = 1200
rng = random.Random(20240503)


def bits(x):
    return struct.unpack("<Q", struct.pack("<d", x))[0]


def exact(d):
    """The exact decimal expansion of a double (or a Decimal), in plain or scientific form."""
    return format(Decimal(d), "e") if not isinstance(d, Decimal) else format(d, "e")


cases = [
    # Halfway points and their neighbours written out in full.
    "9007199254740993", "9007199254740995", "9007199254740993.0000000000000001", "9007199254740992.9999999999999999",
    "1.00000000000000011102230246251565404236316680908203125",
    "1.00000000000000011102230246251565404236316680908203124",
    "1.00000000000000011102230246251565404236316680908203126",
    "0.1", "0.2", "0.3", "0.30000000000000004", "3.0000000000000004", "1e22", "1e23", "8.41e21", "7.2057594037927933e16",
    "5e-1", "123456789012345678", "1234567890123456789", "9999999999999999999", "10000000000000000000",
    "18446744073709551615", "18446744073709551616", "18446744073709551617", "123456789012345678901234567890",
    "0.1234567890123456789012345", "0.000000000000000000000000000000000000001", "00000000000000000000001.5",
    "1.000000000000000000000000000000000000001", "0.99999999999999999999999999999999999999",
    # Around the largest double and overflow.
    "1.7976931348623157e308", "1.7976931348623158e308", "1.7976931348623159e308", "1.797693134862315807937e308",
    "1.797693134862315807938e308", "1e308", "1e309", "17976931348623157e292", "179769313486231580793728971405301e276",
    # The smallest normal, subnormals, and underflow.
    "2.2250738585072011e-308", "2.2250738585072012e-308", "2.2250738585072014e-308", "2.2250738585072009e-308",
    "2.225073858507201136057409796709131975934819546351645648e-308",
    "4.9406564584124654e-324", "4.9406564584124654417656879286822137236505980e-324", "5e-324", "3e-324",
    "2.4703282292062327e-324", "2.4703282292062328e-324", "1e-323", "1e-324", "1e-325", "1e-400",
    "7.4109846876186981626485318930233205854758970392148714663837852375101326090531312779794975454245398856969484704316857659638998506553390969459816219401617281718945106978546710679176872575177347315553307795408549809608457500958111373034747658096871009590975442271004757307809711118935784838675653998783503015228055934046593739791790738723868299395818481660169122019456499931289798411362062484498678713572180352209017023903285791732520220528974020802906854021606612375549983402671300035812486479041385743401875520901590172592547146296175134159774938718574737870961645638908718119841271673056017045493004705269590165763776884908267986972573366521765567941072508764337560846003984904972149117463085539556354188641513168478436313080237596295773983001708984375e-332",
]
for e in range(-330, 310, 7):
    cases.append(f"1e{e}")
    cases.append(f"9.999999999999999999e{e}")

# Exact midpoints between neighbouring doubles (ties go to even), and a hair either side.
for _ in range(150):
    kind = rng.random()
    if kind < 0.15:
        d = rng.uniform(0, 2.2250738585072014e-308)  # subnormal
    elif kind < 0.3:
        d = math.ldexp(rng.random() + 1, rng.randint(-1022, 1023))
    else:
        d = math.ldexp(rng.random() + 1, rng.randint(-70, 70))
    nxt = math.nextafter(d, math.inf)
    if math.isinf(nxt):
        continue
    mid = (Decimal(d) + Decimal(nxt)) / 2
    text = format(mid, "e")
    if len(text) > 800:
        continue
    cases.append(text)
    mantissa, exponent = text.split("e")
    cases.append(mantissa + "1e" + exponent)  # just above the midpoint
    digits = mantissa.rstrip("0")
    if digits[-1] != ".":
        last = int(digits[-1])
        if last > 0:
            cases.append(digits[:-1] + str(last - 1) + "9" * 5 + "e" + exponent)  # just below
    # The midpoint cut to 17..25 significant digits.
    for n in (17, 19, 20, 25):
        cases.append(format(mid, f".{n - 1}e"))

# Random long significands over the whole range.
for _ in range(300):
    n = rng.randint(16, 40)
    digits = str(rng.randint(1, 9)) + "".join(str(rng.randint(0, 9)) for _ in range(n - 1))
    point = rng.randint(0, n)
    text = digits[:point] + "." + digits[point:] if point < n else digits
    cases.append(f"{'-' if rng.random() < 0.3 else ''}{text}e{rng.randint(-345, 310)}")

with open("hard_decimals.csv", "w") as f:
    f.write("text,bits\n")
    for text in cases:
        f.write(f"{text},{bits(float(text)):016x}\n")
print(len(cases), "cases")
