"""Reference log-densities of the relaxed families (RelaxedBernoulli, RelaxedOneHotCategorical)
and log-masses of OneHotCategorical, independent of elbo's formulas.

Run: python3 tests/reference/relaxed_reference.py > tests/reference/relaxed_reference.ts
     && deno fmt tests/reference/relaxed_reference.ts
No value comes from the closed-form density. A relaxed Bernoulli coordinate is
x = σ((ℓ + L)/λ) with L logistic: its density is the logistic density of λ logit(x) − ℓ
times λ/(x(1 − x)) (scipy.stats.logistic, and mpmath at 30 digits for the tails). A relaxed
one-hot point is x = softmax((ℓ + G)/λ) with Gumbel G: dₖ = λ log(xₖ/x_K) − (ℓₖ − ℓ_K) =
Gₖ − G_K, whose density is ∫ g(t) Πₖ g(t + dₖ) dt, integrated numerically (mpmath.quad at
30 digits by Gauss–Legendre on a partition, checked against one twice as fine, and
scipy.integrate.quad, which must agree to 1e-10 for ordinary inputs), times
the Jacobian λ^{K−1}/Πₖ xₖ. One-hot categorical masses come from scipy.stats.multinomial.
"""
import json
import math
import mpmath as mp
import numpy as np
from scipy import integrate, stats

mp.mp.dps = 30


def f(x):
    x = float(x)
    return x if math.isfinite(x) else ("Infinity" if x > 0 else "-Infinity")


def bernoulli_coordinate(x, logit, lam, ordinary):
    X, L, lam_ = mp.mpf(x), mp.mpf(logit), mp.mpf(lam)
    z = lam_ * (mp.log(X) - mp.log(1 - X)) - L
    ours = -z - 2 * mp.log1p(mp.exp(-z)) + mp.log(lam_) - mp.log(X) - mp.log(1 - X)
    if ordinary:
        s = stats.logistic.logpdf(lam * math.log(x / (1 - x)) - logit) + math.log(lam / (x * (1 - x)))
        assert abs(float(ours) - s) <= 1e-10 * max(1, abs(s)), ("bernoulli", x, logit, lam, float(ours), s)
    return ours


def bernoulli_row(lam, logits, x, ordinary):
    total = sum(bernoulli_coordinate(v, l, lam, ordinary) for v, l in zip(x, logits))
    return {"temperature": lam, "logits": logits, "x": x, "logProb": f(total)}


def gumbel_log(t):
    return -t - mp.exp(-t)


def concrete(lam, logits, x, ordinary):
    K = len(x)
    X = [mp.mpf(v) for v in x]
    L = [mp.mpf(v) for v in logits]
    d = [mp.mpf(lam) * mp.log(X[k] / X[-1]) - (L[k] - L[-1]) for k in range(K - 1)]
    integrand = lambda t: mp.exp(gumbel_log(t) + sum(gumbel_log(t + dk) for dk in d))
    # The integrand peaks at t = log(Σₖ e^{−dₖ} / K) (d_K = 0): split there.
    mode = mp.log((sum(mp.exp(-dk) for dk in d) + 1) / K)
    # Below mode − 8 the integrand is below e^{−K e^8}; above mode + 80, below e^{−80 K}.
    # Breakpoints at the mode and where each factor g(t + dₖ) turns (t = −dₖ); a finer
    # partition must give the same value to 1e-15.
    lo, hi = mode - 8, mode + 80
    def parts(step):
        pts = {lo, hi} | {mode + a * step for a in range(-800, 801) if lo < mode + a * step < hi}
        pts |= {-dk + a for dk in d + [0] for a in (-2, -1, 0, 1, 2) if lo < -dk + a < hi}
        return sorted(pts)
    v = mp.quad(integrand, parts(0.25), method="gauss-legendre")
    v2 = mp.quad(integrand, parts(0.125), method="gauss-legendre")
    assert abs(v - v2) <= mp.mpf(10) ** -15 * abs(v), ("concrete quadrature", lam, logits, x, v, v2)
    ours = mp.log(v) + (K - 1) * mp.log(lam) - sum(mp.log(xk) for xk in X)
    if ordinary:
        df = [float(dk) for dk in d]
        g = lambda t: math.exp(stats.gumbel_r.logpdf(t) + sum(stats.gumbel_r.logpdf(t + dk) for dk in df))
        m = float(mode)
        s = sum(integrate.quad(g, a, b, epsabs=0, epsrel=1e-13, limit=500)[0]
                for a, b in [(-np.inf, m), (m, np.inf)])
        s = math.log(s) + (K - 1) * math.log(lam) - sum(math.log(v) for v in x)
        assert abs(float(ours) - s) <= 1e-10 * max(1, abs(s)), ("concrete", lam, logits, x, float(ours), s)
    return {"temperature": lam, "logits": logits, "x": x, "logProb": f(ours)}


out = {}
out["relaxedBernoulli"] = [bernoulli_row(*c, True) for c in [
    (0.5, [0.0], [0.5]), (0.6, [1.5], [0.3]), (1.0, [0.0, 0.0], [0.2, 0.9]), (0.1, [-2.0, 3.0], [0.05, 0.999]),
    (2.5, [0.7, -0.4, 1.1], [0.4, 0.6, 0.01]), (0.05, [1.0], [0.7])]]
out["relaxedBernoulli"] += [bernoulli_row(*c, False) for c in [
    (0.5, [30.0], [1 - 1e-12]), (0.5, [-30.0], [1e-300]), (0.2, [1.5], [1e-200]), (3.0, [0.1], [1 - 1e-15]),
    (1e-3, [0.5], [0.5 + 1e-9]), (40.0, [-25.0], [0.5])]]

out["relaxedOneHotCategorical"] = [concrete(*c, True) for c in [
    (0.7, [0.3, -1.2, 2.0], [0.2, 0.3, 0.5]), (0.6, [1.5, 0.0], [0.3, 0.7]), (1.0, [0.0, 0.0], [0.3, 0.7]),
    (0.5, [0.1, 0.2, -0.3, 0.4], [0.1, 0.2, 0.3, 0.4]), (2.0, [1.0, -1.0, 0.5], [0.6, 0.15, 0.25])]]
out["relaxedOneHotCategorical"] += [concrete(*c, False) for c in [
    (0.7, [0.3, -1.2, 2.0], [0.001, 1e-8, 1 - 0.001 - 1e-8]), (0.1, [5.0, -5.0, 0.0], [0.98, 0.005, 0.015]),
    (0.25, [20.0, -20.0, 0.0, 1.0], [0.97, 0.01, 0.01, 0.01])]]

oh = [([0.2, 0.5, 0.3], [0, 1, 0]), ([0.1, 0.9], [1, 0]), ([0.25, 0.25, 0.25, 0.25], [0, 0, 0, 1])]
out["oneHotCategorical"] = [{"probs": p, "x": x, "logProb": f(stats.multinomial(1, p).logpmf(x))} for p, x in oh]

src = open(__file__).read()
print("// Generated by tests/reference/relaxed_reference.py — do not edit. The script:")
print("//")
for line in src.splitlines():
    print(("// " + line).rstrip())
print("\n// deno-fmt-ignore")
print("export const RELAXED = " + json.dumps(out) + " as const;")
