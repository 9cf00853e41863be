#!/usr/bin/env python3
"""Consensus medical labels for a held-out set (see ../README.md, twentieth round).

  build.py items SET... --readers K --dir DIR
      compares the writers' medical spans of clinic_calls_heldoutSET.json with the
      second annotation heldoutSET.second.txt; writes every disagreement and every
      eighth agreed span (controls), shuffled per reader, to DIR/itemsR.tsv
      (opaque id TAB sentence with the span marked ⟦like this⟧) and DIR/key.json.
  build.py votes DIR
      reads DIR/key.json and DIR/answersR.tsv (id TAB yes|no) and writes
      heldoutSET.votes.json for each set.
  build.py labels SET...
      writes clinic_calls_heldoutSET.json: the writers' set with its medical spans
      replaced by the agreed spans (writer's boundaries and type) and the
      disagreements at least two readers said yes to (their marker's).

Offsets are code points, end exclusive, as in the writers' sets.
"""
import json, os, random, re, sys

HERE = os.path.dirname(os.path.abspath(__file__))
MEDICAL = {"MEDICAL_CONDITION", "MEDICATION", "PROCEDURE"}
MARK = re.compile(r"\[\[([A-Z_]+)\|(.*?)\]\]")


def writers(n):
    return json.load(open(os.path.join(HERE, "..", "clinic_calls_heldout%s.json" % n), encoding="utf-8"))


def parse_marked(line):
    text, spans, pos = "", [], 0
    for m in MARK.finditer(line):
        typ, val = m.group(1), m.group(2)
        if typ not in MEDICAL:
            raise ValueError("type %s" % typ)
        text += line[pos:m.start()]
        spans.append((len(text), len(text) + len(val), typ))
        text += val
        pos = m.end()
    text += line[pos:]
    if "[[" in text or "]]" in text:
        raise ValueError("unbalanced markup")
    return text, spans


def second(n, samples):
    """The second annotation: {line: [(start, end, type)]}; every line present."""
    out = {}
    for k, raw in enumerate(open(os.path.join(HERE, "heldout%s.second.txt" % n), encoding="utf-8"), 1):
        raw = raw.rstrip("\n")
        if not raw.strip():
            continue
        ident, _, marked = raw.partition("\t")
        sset, _, line = ident.partition("-")
        if sset != str(n):
            sys.exit("heldout%s.second.txt:%d: id %s of another set" % (n, k, ident))
        i = int(line)
        text, spans = parse_marked(marked)
        if text != samples[i]["full_text"]:
            sys.exit("heldout%s.second.txt:%d: the sentence differs from the writer's:\n  %r\n  %r" % (n, k, text, samples[i]["full_text"]))
        if i in out:
            sys.exit("heldout%s.second.txt:%d: line %d twice" % (n, k, i))
        out[i] = spans
    missing = [i for i in range(len(samples)) if i not in out]
    if missing:
        sys.exit("heldout%s.second.txt: lines missing: %s" % (n, missing[:20]))
    return out


def overlaps(a, b):
    return a[0] < b[1] and b[0] < a[1]


def items_of(n):
    samples = writers(n)
    sec = second(n, samples)
    items, agreed = [], 0
    for i, s in enumerate(samples):
        w = [(g["start_position"], g["end_position"], g["entity_type"]) for g in s["spans"] if g["entity_type"] in MEDICAL]
        a = sec[i]
        for g in w:
            if any(overlaps(g, x) for x in a):
                if agreed % 8 == 0:
                    items.append({"line": i, "start": g[0], "end": g[1], "type": g[2], "kind": "agreed"})
                agreed += 1
            else:
                items.append({"line": i, "start": g[0], "end": g[1], "type": g[2], "kind": "writer_only"})
        for x in a:
            if not any(overlaps(x, g) for g in w):
                items.append({"line": i, "start": x[0], "end": x[1], "type": x[2], "kind": "second_only"})
    return samples, items


def cmd_items(args):
    k = args.index("--readers")
    readers = int(args[k + 1])
    d = args[args.index("--dir") + 1]
    sets = args[:min(k, args.index("--dir"))]
    os.makedirs(d, exist_ok=True)
    key, rows = {}, []
    for n in sets:
        samples, items = items_of(n)
        kinds = {}
        for it in items:
            kinds[it["kind"]] = kinds.get(it["kind"], 0) + 1
        print("held-out %s: %s" % (n, kinds))
        for it in items:
            t = samples[it["line"]]["full_text"]
            rows.append((n, it, t[:it["start"]] + "⟦" + t[it["start"]:it["end"]] + "⟧" + t[it["end"]:]))
    order = list(range(len(rows)))
    random.Random(20).shuffle(order)
    for q, r in enumerate(order):
        n, it, _ = rows[r]
        key["q%04d" % q] = dict(it, set=n)
    ids = {r: "q%04d" % q for q, r in enumerate(order)}
    for reader in range(1, readers + 1):
        mine = list(range(len(rows)))
        random.Random(100 + reader).shuffle(mine)
        with open(os.path.join(d, "items%d.tsv" % reader), "w", encoding="utf-8") as f:
            for r in mine:
                f.write("%s\t%s\n" % (ids[r], rows[r][2]))
    json.dump(key, open(os.path.join(d, "key.json"), "w"), indent=0)
    print("%d items, %d readers" % (len(rows), readers))


def cmd_votes(args):
    d = args[0]
    key = json.load(open(os.path.join(d, "key.json")))
    votes = {q: [] for q in key}
    r = 1
    while os.path.exists(os.path.join(d, "answers%d.tsv" % r)):
        seen = set()
        for line in open(os.path.join(d, "answers%d.tsv" % r), encoding="utf-8"):
            line = line.strip()
            if not line:
                continue
            q, _, a = line.partition("\t")
            a = a.strip().lower()
            if q not in key or a not in ("yes", "no") or q in seen:
                sys.exit("answers%d.tsv: bad line %r" % (r, line))
            seen.add(q)
            votes[q].append(a == "yes")
        if seen != set(key):
            sys.exit("answers%d.tsv: %d of %d items answered" % (r, len(seen), len(key)))
        r += 1
    bysets = {}
    for q in sorted(key, key=lambda q: (key[q]["set"], key[q]["line"], key[q]["start"])):
        it = dict(key[q])
        n = it.pop("set")
        it["votes"] = ["yes" if v else "no" for v in votes[q]]
        bysets.setdefault(n, []).append(it)
    for n, items in bysets.items():
        with open(os.path.join(HERE, "heldout%s.votes.json" % n), "w", encoding="utf-8") as f:
            json.dump({"set": "clinic_calls_heldout%s.json" % n, "readers": r - 1, "items": items}, f, indent=0)
            f.write("\n")
        print("held-out %s: %d items" % (n, len(items)))


def kept(it):
    return sum(v == "yes" for v in it["votes"]) * 2 > len(it["votes"])


def cmd_labels(args):
    for n in args:
        samples = writers(n)
        votes = json.load(open(os.path.join(HERE, "heldout%s.votes.json" % n), encoding="utf-8"))["items"]
        _, items = items_of(n)
        judged = {(it["line"], it["start"], it["end"], it["kind"]): it for it in votes}
        if len(judged) != len(items) or any((it["line"], it["start"], it["end"], it["kind"]) not in judged for it in items):
            sys.exit("heldout%s.votes.json does not match the annotations" % n)
        drop = {(it["line"], it["start"], it["end"]) for it in votes if it["kind"] == "writer_only" and not kept(it)}
        add = {}
        for it in votes:
            if it["kind"] == "second_only" and kept(it):
                add.setdefault(it["line"], []).append(it)
        out, counts = [], {"writer_only kept": sum(it["kind"] == "writer_only" and kept(it) for it in votes), "writer_only dropped": len(drop), "second_only added": sum(len(v) for v in add.values())}
        for i, s in enumerate(samples):
            spans = [g for g in s["spans"] if (i, g["start_position"], g["end_position"]) not in drop or g["entity_type"] not in MEDICAL]
            for it in add.get(i, []):
                spans.append({"entity_type": it["type"], "entity_value": s["full_text"][it["start"]:it["end"]],
                              "start_position": it["start"], "end_position": it["end"]})
            spans.sort(key=lambda g: (g["start_position"], g["end_position"]))
            out.append({"full_text": s["full_text"], "spans": spans})
        with open(os.path.join(HERE, "clinic_calls_heldout%s.json" % n), "w", encoding="utf-8") as f:
            json.dump(out, f, ensure_ascii=False, indent=1)
            f.write("\n")
        print("held-out %s: %s; medical spans %d -> %d" % (n, counts,
              sum(g["entity_type"] in MEDICAL for s in samples for g in s["spans"]),
              sum(g["entity_type"] in MEDICAL for s in out for g in s["spans"])))


if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in ("items", "votes", "labels"):
        sys.exit(__doc__)
    {"items": cmd_items, "votes": cmd_votes, "labels": cmd_labels}[sys.argv[1]](sys.argv[2:])
