#!/usr/bin/env python3
"""Builds the labelled clinic-call sets (presidio-research JSON) from their
marked-up sources.

Source format, one utterance per line ('#' lines and blank lines skipped):
    my name is [[PERSON|Ann Lee]] and I take [[MEDICATION|ramipril 5mg]]
Identity numbers are written as placeholders so every one carries a valid
check digit: <KIND> or <KIND:FORMAT>, e.g. [[NATIONAL_ID|<pesel>]],
[[NATIONAL_ID|<nhs:spoken>]]. They are drawn from a generator seeded by the
file name, so a rebuild gives the same file. The generator here is written
independently of the Go validators, on purpose: a shared bug would hide.

Usage: python3 build.py SRC.txt OUT.json
"""
import json, random, re, sys

TYPES = {"PERSON", "PHONE_NUMBER", "EMAIL_ADDRESS", "STREET_ADDRESS", "DATE_OF_BIRTH",
         "NATIONAL_ID", "INSURANCE_ID", "CREDIT_CARD", "IBAN_CODE",
         "MEDICAL_CONDITION", "MEDICATION", "PROCEDURE"}

DIG = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]

def spoken(s):
    out = []
    for c in s:
        if c.isdigit():
            out.append(DIG[int(c)])
        elif c.isalpha():
            out.append(c.lower())
    return " ".join(out)

def nhs(r):
    while True:
        d = [r.randint(1, 9)] + [r.randint(0, 9) for _ in range(8)]
        s = sum(x * (10 - i) for i, x in enumerate(d))
        c = 11 - s % 11
        if c == 11: c = 0
        if c == 10: continue
        ds = "".join(map(str, d + [c]))
        return ds, ds[:3] + " " + ds[3:6] + " " + ds[6:]

def nino(r):
    first = "ABCEGHJKLMNPRSTWXYZ"
    second = "ABCEGHJKLMNPRSTWXYZ"
    while True:
        p = r.choice(first) + r.choice(second)
        if p in ("BG", "GB", "NK", "KN", "TN", "NT", "ZZ"): continue
        n = "".join(str(r.randint(0, 9)) for _ in range(6))
        s = r.choice("ABCD")
        return p + n + s, p + " " + n[:2] + " " + n[2:4] + " " + n[4:] + " " + s

def ssn(r):
    while True:
        a = r.randint(1, 899)
        if a == 666: continue
        g, s = r.randint(1, 99), r.randint(1, 9999)
        ds = "%03d%02d%04d" % (a, g, s)
        return ds, "%03d-%02d-%04d" % (a, g, s)

def ppsn(r):
    d = [r.randint(0, 9) for _ in range(7)]
    s = sum(x * (8 - i) for i, x in enumerate(d))
    c = "WABCDEFGHIJKLMNOPQRSTUV"[s % 23]
    v = "".join(map(str, d)) + c
    return v, v

def steuer(r):
    # 11 digits, first not 0; in the first 10 one digit appears twice (or
    # thrice), some digit is missing; check digit by ISO 7064 MOD 11,10.
    while True:
        d = [r.randint(1, 9)] + [r.randint(0, 9) for _ in range(9)]
        counts = {}
        for x in d: counts[x] = counts.get(x, 0) + 1
        multi = [k for k, v in counts.items() if v > 1]
        if len(multi) != 1 or counts[multi[0]] > 3: continue
        p = 10
        for x in d:
            s = (x + p) % 10
            if s == 0: s = 10
            p = (2 * s) % 11
        c = 11 - p
        if c == 10: c = 0
        v = "".join(map(str, d)) + str(c)
        return v, v[:2] + " " + v[2:5] + " " + v[5:8] + " " + v[8:]

def nir(r):
    sex = r.choice("12")
    yy = "%02d" % r.randint(40, 99)
    mm = "%02d" % r.randint(1, 12)
    dep = "%02d" % r.randint(1, 95)
    com = "%03d" % r.randint(1, 990)
    order = "%03d" % r.randint(1, 999)
    n = int(sex + yy + mm + dep + com + order)
    key = 97 - n % 97
    v = sex + yy + mm + dep + com + order + "%02d" % key
    return v, " ".join([sex, yy, mm, dep, com, order, "%02d" % key])

DNI_LET = "TRWAGMYFPDXBNJZSQVHLCKE"
def dni(r):
    n = r.randint(10000000, 99999999)
    v = "%08d%s" % (n, DNI_LET[n % 23])
    return v, v

def nie(r):
    p = r.choice("XYZ")
    n = r.randint(0, 9999999)
    full = int(str("XYZ".index(p)) + "%07d" % n)
    v = "%s%07d%s" % (p, n, DNI_LET[full % 23])
    return v, v

CF_ODD = {}
for ch, val in zip("0123456789", [1, 0, 5, 7, 9, 13, 15, 17, 19, 21]): CF_ODD[ch] = val
for ch, val in zip("ABCDEFGHIJKLMNOPQRSTUVWXYZ", [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23]): CF_ODD[ch] = val
def cf_even(ch):
    return int(ch) if ch.isdigit() else ord(ch) - 65
def codice(r):
    L = "BCDFGHLMNPRSTVZ"
    V = "AEIOU"
    sur = r.choice(L) + r.choice(V) + r.choice(L)
    name = r.choice(L) + r.choice(V) + r.choice(L)
    yy = "%02d" % r.randint(40, 99)
    m = r.choice("ABCDEHLMPRST")
    day = r.randint(1, 28) + r.choice([0, 40])
    place = r.choice("ABCDEFGHLMZ") + "%03d" % r.randint(1, 999)
    body = sur + name + yy + m + "%02d" % day + place
    s = 0
    for i, ch in enumerate(body):
        s += CF_ODD[ch] if i % 2 == 0 else cf_even(ch)
    v = body + chr(65 + s % 26)
    return v, v

def bsn(r):
    while True:
        d = [r.randint(1, 9)] + [r.randint(0, 9) for _ in range(8)]
        s = sum(x * w for x, w in zip(d, [9, 8, 7, 6, 5, 4, 3, 2, -1]))
        if s % 11 == 0:
            v = "".join(map(str, d))
            return v, v[:4] + "." + v[4:6] + "." + v[6:]

def pnr(r):
    yy = "%02d" % r.randint(40, 99)
    mm = "%02d" % r.randint(1, 12)
    dd = "%02d" % r.randint(1, 28)
    nnn = "%03d" % r.randint(0, 999)
    body = yy + mm + dd + nnn
    s = 0
    for i, ch in enumerate(body):
        x = int(ch) * (2 if i % 2 == 0 else 1)
        s += x // 10 + x % 10
    c = (10 - s % 10) % 10
    v = body + str(c)
    return v, v[:6] + "-" + v[6:]

def pesel(r):
    yy = r.randint(40, 99)
    mm = r.randint(1, 12)
    dd = r.randint(1, 28)
    body = "%02d%02d%02d%04d" % (yy, mm, dd, r.randint(0, 9999))
    w = [1, 3, 7, 9, 1, 3, 7, 9, 1, 3]
    s = sum(int(c) * x for c, x in zip(body, w))
    v = body + str((10 - s % 10) % 10)
    return v, v

GEN = {"nhs": nhs, "nino": nino, "ssn": ssn, "ppsn": ppsn, "steuer": steuer, "nir": nir,
       "dni": dni, "nie": nie, "cf": codice, "bsn": bsn, "pnr": pnr, "pesel": pesel}

def fill(m, r):
    kind, _, fmt = m.group(1).partition(":")
    compact, pretty = GEN[kind](r)
    if fmt == "spoken": return spoken(compact)
    if fmt == "compact": return compact
    if fmt == "lower": return compact.lower()
    return pretty

MARK = re.compile(r"\[\[([A-Z_]+)\|(.*?)\]\]")
PH = re.compile(r"<([a-z]+(?::[a-z]+)?)>")

def build(src):
    r = random.Random(src.rsplit("/", 1)[-1])
    out = []
    for n, line in enumerate(open(src, encoding="utf-8"), 1):
        line = line.rstrip("\n")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        line = PH.sub(lambda m: fill(m, r), line)
        text, spans, pos = "", [], 0
        for m in MARK.finditer(line):
            typ, val = m.group(1), m.group(2)
            if typ not in TYPES:
                sys.exit("%s:%d: unknown type %s" % (src, n, typ))
            text += line[pos:m.start()]
            start = len(text)
            text += val
            spans.append({"entity_type": typ, "entity_value": val,
                          "start_position": start, "end_position": len(text)})
            pos = m.end()
        text += line[pos:]
        if "[[" in text or "]]" in text:
            sys.exit("%s:%d: unbalanced markup" % (src, n))
        out.append({"full_text": text, "spans": spans})
    return out

if __name__ == "__main__":
    data = build(sys.argv[1])
    with open(sys.argv[2], "w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False, indent=1)
        f.write("\n")
    print("%s: %d utterances, %d spans" % (sys.argv[2], len(data), sum(len(d["spans"]) for d in data)))
