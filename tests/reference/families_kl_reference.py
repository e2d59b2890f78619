"""KL references for the families' closed forms, independent of elbo.

Run: python3 tests/reference/families_kl_reference.py > tests/reference/families_kl_reference.ts
     && deno fmt tests/reference/families_kl_reference.ts
"quad": ordinary pairs by numerical integration of p (log p − log q) with
scipy.integrate.quad (summation for Poisson, scipy.special.rel_entr for Categorical,
a 2-D quadrature for a Dirichlet of 3 coordinates): no closed form is used.
"near": near-identical and extreme pairs by the textbook closed form in mpmath at
enough digits that the cancellation it suffers costs nothing (none of elbo's
rearrangements is used). Every input is a float64, evaluated at its exact value.
"""
import json
import math
import mpmath as mp
import numpy as np
from scipy import integrate, special, stats


def f(x):
    x = float(x)
    return x if math.isfinite(x) else ("Infinity" if x > 0 else "-Infinity")


def quad_kl(p, q, lo, hi, points=None):
    g = lambda x: np.exp(p.logpdf(x)) * (p.logpdf(x) - q.logpdf(x)) if p.pdf(x) > 0 else 0.0
    return integrate.quad(g, lo, hi, epsabs=1e-15, epsrel=1e-13, limit=2000, points=points)[0]


out = {"quad": {}, "near": {}}
Q = out["quad"]
Q["gamma"] = [[a, b, c, d, quad_kl(stats.gamma(a, scale=1 / b), stats.gamma(c, scale=1 / d), 0, (a + 60 * math.sqrt(a) + 60) / b)]
              for a, b, c, d in [(2.0, 1.0, 3.0, 2.0), (0.7, 0.5, 1.5, 0.3), (5.0, 3.0, 4.5, 2.5), (30.0, 2.0, 20.0, 1.0)]]
Q["exponentialGamma"] = [[l, c, d, quad_kl(stats.expon(scale=1 / l), stats.gamma(c, scale=1 / d), 0, 80 / l)]
                         for l, c, d in [(1.0, 2.0, 1.0), (2.5, 0.5, 3.0), (0.3, 4.0, 0.2)]]
Q["beta"] = [[a, b, c, d, quad_kl(stats.beta(a, b), stats.beta(c, d), 0, 1)]
             for a, b, c, d in [(2.0, 3.0, 1.0, 1.0), (1.5, 4.0, 3.0, 2.0), (5.0, 5.0, 4.0, 6.0), (20.0, 30.0, 25.0, 20.0)]]
Q["laplace"] = [[m0, b0, m1, b1, quad_kl(stats.laplace(m0, b0), stats.laplace(m1, b1), m0 - 60 * b0, m0 + 60 * b0, points=[m0, m1])]
                for m0, b0, m1, b1 in [(0.0, 1.0, 1.0, 2.0), (-1.0, 0.5, 0.5, 0.3), (2.0, 3.0, 2.0, 1.0)]]


def lognormal_quad(m0, s0, m1, s1):
    # over t = log y (the densities are scipy's lognorm, evaluated at y = e^t)
    p, q = stats.lognorm(s0, scale=math.exp(m0)), stats.lognorm(s1, scale=math.exp(m1))
    g = lambda t: math.exp(p.logpdf(math.exp(t)) + t) * (p.logpdf(math.exp(t)) - q.logpdf(math.exp(t)))
    return integrate.quad(g, m0 - 40 * s0, m0 + 40 * s0, epsabs=1e-15, epsrel=1e-13, limit=2000)[0]


Q["logNormal"] = [[m0, s0, m1, s1, lognormal_quad(m0, s0, m1, s1)]
                  for m0, s0, m1, s1 in [(0.0, 0.5, 0.3, 0.8), (1.0, 0.3, 0.5, 0.4)]]
Q["uniform"] = [[a0, b0, a1, b1, quad_kl(stats.uniform(a0, b0 - a0), stats.uniform(a1, b1 - a1), a0, b0)]
                for a0, b0, a1, b1 in [(0.0, 1.0, -1.0, 3.0), (0.25, 0.5, 0.0, 1.0), (-2.0, 2.0, -2.0, 2.0)]]


def poisson_sum(l0, l1):
    ks = np.arange(0, int(l0 + 60 * math.sqrt(l0) + 100))
    lp, lq = stats.poisson(l0).logpmf(ks), stats.poisson(l1).logpmf(ks)
    return math.fsum(np.exp(lp) * (lp - lq))


Q["poisson"] = [[l0, l1, poisson_sum(l0, l1)] for l0, l1 in [(3.5, 2.0), (0.1, 5.0), (40.0, 45.0)]]
Q["categorical"] = [[p, q, float(np.sum(special.rel_entr(p, q)))]
                    for p, q in [([0.2, 0.5, 0.3], [0.3, 0.3, 0.4]), ([0.1, 0.0, 0.9], [0.25, 0.25, 0.5])]]


def dirichlet_quad(a, b):
    p, q = stats.dirichlet(a), stats.dirichlet(b)

    def g(y, x):
        pt = [x, y, 1 - x - y]
        if min(pt) <= 0:
            return 0.0
        lp = p.logpdf(pt)
        return math.exp(lp) * (lp - q.logpdf(pt))

    return integrate.dblquad(g, 0, 1, 0, lambda x: 1 - x, epsabs=1e-13, epsrel=1e-11)[0]


Q["dirichlet"] = [[a, b, dirichlet_quad(a, b)] for a, b in [([2.0, 3.0, 4.0], [3.0, 3.0, 3.0]), ([1.5, 2.5, 2.0], [2.0, 1.5, 4.0])]]

# Near-identical and extreme pairs, from the textbook closed forms at high precision.
mp.mp.dps = 200
M = lambda x: mp.mpf(x)


def kl_gamma(a, b, c, d):
    # digits enough for the cancellation of terms of size α log α
    with mp.workdps(100 + 2 * int(max(abs(mp.log10(x)) for x in (a, b, c, d)))):
        a, b, c, d = map(M, (a, b, c, d))
        return +((a - c) * mp.digamma(a) - mp.loggamma(a) + mp.loggamma(c) + c * (mp.log(b) - mp.log(d)) + a * (d - b) / b)


def kl_dirichlet(al, be):
    with mp.workdps(100 + 2 * int(max(abs(mp.log10(x)) for x in al + be))):
        al, be = [M(x) for x in al], [M(x) for x in be]
        s, t = mp.fsum(al), mp.fsum(be)
        lb = lambda v, tot: mp.fsum(mp.loggamma(x) for x in v) - mp.loggamma(tot)
        return +(lb(be, t) - lb(al, s) + mp.fsum((a - b) * (mp.digamma(a) - mp.digamma(s)) for a, b in zip(al, be)))


def kl_laplace(m0, b0, m1, b1):
    m0, b0, m1, b1 = map(M, (m0, b0, m1, b1))
    return mp.log(b1 / b0) + abs(m0 - m1) / b1 + b0 / b1 * mp.exp(-abs(m0 - m1) / b0) - 1


def kl_poisson(l0, l1):
    l0, l1 = M(l0), M(l1)
    return l0 * mp.log(l0 / l1) + l1 - l0


def kl_normal(m0, s0, m1, s1):
    m0, s0, m1, s1 = map(M, (m0, s0, m1, s1))
    return mp.log(s1 / s0) + (s0 ** 2 + (m0 - m1) ** 2) / (2 * s1 ** 2) - mp.mpf(1) / 2


def kl_cat_logits(l0, l1):
    l0, l1 = [M(x) for x in l0], [M(x) for x in l1]
    z0, z1 = mp.log(mp.fsum(mp.exp(x) for x in l0)), mp.log(mp.fsum(mp.exp(x) for x in l1))
    return mp.fsum(mp.exp(a - z0) * ((a - z0) - (b - z1)) for a, b in zip(l0, l1))


def kl_cat_probs(p, q):
    # Categorical divides the probabilities by their (exact) sum
    sp, sq = mp.fsum(M(a) for a in p), mp.fsum(M(b) for b in q)
    return mp.fsum(M(a) / sp * (mp.log(M(a) / sp) - mp.log(M(b) / sq)) for a, b in zip(p, q) if a > 0)


rel = [1e-4, -1e-8, 1e-12, 3e-15]
N = out["near"]
N["gamma"] = []
for a, b in [(2.0, 1.0), (0.3, 5.0), (1e8, 1e8), (1e-200, 1.0), (1e200, 3.0)]:
    for r in rel:
        for c, d in [(a * (1 + r), b), (a, b * (1 - r)), (a * (1 + r), b * (1 + r)), (a * (1 - r), b * (1 + 2 * r))]:
            N["gamma"].append([a, b, c, d, f(kl_gamma(a, b, c, d))])
N["gamma"] += [[a, b, c, d, f(kl_gamma(a, b, c, d))] for a, b, c, d in
               [(1e-300, 1.0, 1.0, 1.0), (1.0, 1e-300, 1.0, 1e300), (1e300, 1.0, 1.0, 1e-300), (5.0, 2.0, 1e-5, 1e5)]]
N["beta"] = []
for a, b in [(2.0, 3.0), (0.4, 0.7), (1e10, 3e10), (1e-100, 2.0)]:
    for r in rel:
        for c, d in [(a * (1 + r), b), (a * (1 + r), b * (1 + r)), (a * (1 - r), b * (1 + r))]:
            N["beta"].append([a, b, c, d, f(kl_dirichlet([a, b], [c, d]))])
N["beta"] += [[a, b, c, d, f(kl_dirichlet([a, b], [c, d]))] for a, b, c, d in [(1e150, 1e150, 1.0, 1.0), (1.0, 1.0, 1e-300, 1e-300)]]
N["dirichlet"] = []
for al in [[1.0, 2.0, 3.0], [0.2, 5.0, 0.7, 3.3], [1e6, 2e6, 3e6]]:
    for r in rel:
        N["dirichlet"].append([al, [x * (1 + r * (i - 1)) for i, x in enumerate(al)],
                               f(kl_dirichlet(al, [x * (1 + r * (i - 1)) for i, x in enumerate(al)]))])
        N["dirichlet"].append([al, [x * (1 + r) for x in al], f(kl_dirichlet(al, [x * (1 + r) for x in al]))])
N["laplace"] = []
for m, b in [(0.0, 1.0), (1e5, 1e-3), (-3.0, 1e6)]:
    for r in rel:
        for m1, b1 in [(m + r * b, b), (m, b * (1 + r)), (m - r * b, b * (1 - r))]:
            N["laplace"].append([m, b, m1, b1, f(kl_laplace(m, b, m1, b1))])
N["poisson"] = [[l, l * (1 + r), f(kl_poisson(l, l * (1 + r)))] for l in [1e-300, 0.5, 3e4, 1e300] for r in rel]
N["poisson"] += [[a, b, f(kl_poisson(a, b))] for a, b in [(1e-300, 1e300), (1e300, 1e-300), (2.0, 1e-300)]]
N["logNormal"] = [[m, s, m + r * s, s * (1 + r), f(kl_normal(m, s, m + r * s, s * (1 + r)))]
                  for m, s in [(0.0, 1.0), (700.0, 1e-3)] for r in rel]
N["categoricalLogits"] = []
for l in [[0.0, 1.0, -2.0], [30.0, -30.0, 0.0, 5.0]]:
    for r in rel:
        l1 = [x + r * (i + 1) for i, x in enumerate(l)]
        N["categoricalLogits"].append([l, l1, f(kl_cat_logits(l, l1))])
N["categoricalProbs"] = []
for p in [[0.2, 0.5, 0.3], [1e-12, 0.5, 0.5 - 1e-12]]:
    for r in rel:
        q = [p[0] * (1 + r), p[1], 1 - p[0] * (1 + r) - p[1]]
        N["categoricalProbs"].append([p, q, f(kl_cat_probs(p, q))])

src = open(__file__).read()
print("// Generated by tests/reference/families_kl_reference.py — do not edit. The script:")
print("//")
for line in src.splitlines():
    print(("// " + line).rstrip())
print("\n// deno-fmt-ignore")
print("export const FAMILIES_KL = " + json.dumps(out) + " as const;")
