#!/usr/bin/env python3
"""Agreement between two labellings of the same lines (labelsrc markup):
span-level precision / recall of the second against the first, overlap
matching, strict (same type) and routed (same category).

Usage: python3 score.py REFERENCE.txt OTHER.txt
"""
import re,sys
MED={'MEDICAL_CONDITION','MEDICATION','PROCEDURE'}
ID={'DATE_OF_BIRTH','NATIONAL_ID','INSURANCE_ID','CREDIT_CARD','IBAN_CODE'}
def cat(t): return 'medical' if t in MED else 'identity' if t in ID else 'contact'
def parse(line):
    spans=[];out='';i=0
    for m in re.finditer(r'\[\[([A-Z_]+)\|([^\]]*)\]\]',line):
        out+=line[i:m.start()]; s=len(out); out+=m.group(2); spans.append((m.group(1),s,len(out))); i=m.end()
    out+=line[i:]
    return out,spans
def load(p): return [parse(l.rstrip('\n')) for l in open(p) if l.strip()]
def score(ref,hyp,category,routed):
    tp_p=n_p=tp_r=n_r=0
    for (t1,g),(t2,h) in zip(ref,hyp):
        assert t1==t2,(t1,t2)
        G=[x for x in g if cat(x[0])==category]; H=[x for x in h if cat(x[0])==category]
        for (ty,s,e) in H:
            n_p+=1; tp_p+=any(s<ge and gs<e and (routed or ty==gt) for gt,gs,ge in G)
        for (ty,s,e) in G:
            n_r+=1; tp_r+=any(s<he and hs<e and (routed or ty==ht) for ht,hs,he in H)
    return tp_p/max(n_p,1), tp_r/max(n_r,1), n_p, n_r
ref=load(sys.argv[1]); hyp=load(sys.argv[2])
for c in ['medical','identity','contact']:
    p,r,np_,nr=score(ref,hyp,c,False); pr,rr,_,_=score(ref,hyp,c,True)
    print(f"  {c:9s} strict P/R {p:.3f}/{r:.3f}  routed {pr:.3f}/{rr:.3f}  (spans {np_} vs {nr})")
