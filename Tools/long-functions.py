"""Lists Swift functions longer than LIMIT lines (by brace matching; string literals and line
comments skipped), to keep kernel functions short.

usage: python3 Tools/long-functions.py 80 $(find Sources/AstrolabeKernel -name '*.swift')
"""
import sys, re

def funcs(path):
    lines=open(path).read().split('\n')
    out=[]
    for i,l in enumerate(lines):
        m=re.search(r'\bfunc\s+(\w+|[^\s(]+)',l)
        if not m or l.strip().startswith('//'): continue
        depth=0; started=False
        for j in range(i,len(lines)):
            t=re.sub(r'"(\\.|[^"\\])*"','""',lines[j])
            t=t.split('//')[0]
            for c in t:
                if c=='{': depth+=1; started=True
                elif c=='}': depth-=1
            if started and depth<=0:
                out.append((j-i+1,m.group(1),i+1)); break
            if not started and j>i+6: break
    return out
lim=int(sys.argv[1]); 
for p in sys.argv[2:]:
    for n,name,line in funcs(p):
        if n>lim: print(f"{p}:{line}: {name} {n} lines")
