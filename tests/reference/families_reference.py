"""Reference values for the float64 families (Gamma, Beta, Laplace, StudentT, Uniform,
Categorical, Dirichlet, Poisson, LogNormal), independent of elbo.

Run: python3 tests/reference/families_reference.py > tests/reference/families_reference.ts
     && deno fmt tests/reference/families_reference.ts
Each value is the textbook formula evaluated in mpmath at the exact float64 inputs, with
enough digits that huge parameters lose nothing (log-densities from the density itself,
entropies from their digamma forms, moments from their definitions); for the ordinary
parameters the script also checks that scipy.stats gives the same number to 1e-12, so
the two independent implementations agree.
"""
import json
import math
import mpmath as mp
import numpy as np
from scipy import stats

mp.mp.dps = 50


def f(x):
    # ±∞ as strings (JSON has no infinities); the tests read them with value().
    x = float(x)
    return x if math.isfinite(x) else ("Infinity" if x > 0 else "-Infinity")


def digits(*xs):
    big = max([abs(mp.mpf(x)) for x in xs] + [1])
    return 50 + 2 * int(mp.log10(big))


def agree(ours, scipy_value, what):
    if scipy_value is None:
        return
    s = float(scipy_value)
    assert abs(float(ours) - s) <= 1e-12 * max(1, abs(s)), (what, float(ours), s)


out = {}

# Gamma(α, β): p(x) = β^α x^(α−1) e^(−βx) / Γ(α)
def gamma_row(a, b, xs, ordinary):
    with mp.workdps(digits(a, b, *xs, 1 / a, 1 / b)):
        A, B = mp.mpf(a), mp.mpf(b)
        lp = [A * mp.log(B) - mp.loggamma(A) + (A - 1) * mp.log(x) - B * x for x in xs]
        h = A - mp.log(B) + mp.loggamma(A) + (1 - A) * mp.digamma(A)
        row = {"concentration": a, "rate": b, "x": xs, "logProb": [f(v) for v in lp],
               "entropy": f(h), "mean": f(A / B), "variance": f(A / B ** 2)}
    if ordinary:
        g = stats.gamma(a, scale=1 / b)
        for x, v in zip(xs, lp):
            agree(v, g.logpdf(x), ("gamma", a, b, x))
        agree(h, g.entropy(), ("gamma entropy", a, b))
    return row


out["gamma"] = [gamma_row(*c, True) for c in [(1.0, 1.0, [0.5, 3.0]), (0.5, 2.0, [0.3, 1e-5]),
                                              (3.5, 0.7, [4.2, 0.01, 40.0]), (20.0, 3.0, [6.0, 7.5])]]
out["gamma"] += [gamma_row(*c, False) for c in [
    (1e-3, 1.0, [1e-5, 1e-300]), (1e-300, 1.0, [1e-300, 1.0]), (1e8, 1e8, [1.0001, 0.99]),
    (1e15, 1.0, [1e15, 1.00000001e15]), (1e300, 1e300, [1.0]), (5.0, 1e-300, [1e300, 5e300]),
    (0.7, 1e300, [1e-300, 1e-305]), (2.0, 1e-200, [1e-200])]]

# Beta(a, b): p(x) = x^(a−1) (1 − x)^(b−1) / B(a, b)
def beta_row(a, b, xs, ordinary):
    with mp.workdps(digits(a, b, 1 / a, 1 / b)):
        A, B = mp.mpf(a), mp.mpf(b)
        lb = mp.loggamma(A) + mp.loggamma(B) - mp.loggamma(A + B)
        lp = [(A - 1) * mp.log(x) + (B - 1) * mp.log1p(-mp.mpf(x)) - lb for x in xs]
        h = lb - (A - 1) * mp.digamma(A) - (B - 1) * mp.digamma(B) + (A + B - 2) * mp.digamma(A + B)
        row = {"alpha": a, "beta": b, "x": xs, "logProb": [f(v) for v in lp], "entropy": f(h),
               "mean": f(A / (A + B)), "variance": f(A * B / ((A + B) ** 2 * (A + B + 1)))}
    if ordinary:
        d = stats.beta(a, b)
        for x, v in zip(xs, lp):
            agree(v, d.logpdf(x), ("beta", a, b, x))
        agree(h, d.entropy(), ("beta entropy", a, b))
    return row


out["beta"] = [beta_row(*c, True) for c in [(2.0, 3.0, [0.4, 0.01]), (0.5, 0.5, [0.1, 0.999]),
                                            (1.0, 1.0, [0.7]), (0.3, 4.0, [1e-5, 0.5])]]
out["beta"] += [beta_row(*c, False) for c in [
    (1e6, 1e6, [0.5001, 0.499]), (1e10, 3e10, [0.25, 0.25001]), (1e-5, 1e-5, [0.5, 1e-300]),
    (5.0, 1e15, [5e-15, 1e-14]), (1e150, 1e150, [0.5]), (1e-300, 2.0, [0.5])]]

# Laplace(μ, b): p(x) = exp(−|x − μ|/b) / (2b)
def laplace_row(m, b, xs, ordinary):
    with mp.workdps(digits(m, b, *xs, 1 / b)):
        M, B = mp.mpf(m), mp.mpf(b)
        lp = [-abs(mp.mpf(x) - M) / B - mp.log(2 * B) for x in xs]
        h = 1 + mp.log(2 * B)
        row = {"loc": m, "scale": b, "x": xs, "logProb": [f(v) for v in lp], "entropy": f(h),
               "mean": f(M), "variance": f(2 * B * B)}
    if ordinary:
        d = stats.laplace(m, b)
        for x, v in zip(xs, lp):
            agree(v, d.logpdf(x), ("laplace", m, b, x))
        agree(h, d.entropy(), ("laplace entropy", m, b))
    return row


out["laplace"] = [laplace_row(*c, True) for c in [(0.0, 1.0, [0.5, -3.0]), (-3.0, 0.1, [2.0])]]
out["laplace"] += [laplace_row(*c, False) for c in [
    (1e10, 1e-5, [1e10 + 1e-5]), (0.0, 1e-300, [1e-300]), (2.0, 1e300, [-1e300]), (-1e308, 1.0, [1e308])]]

# Student's t(ν, μ, σ): p(x) = Γ((ν+1)/2) / (Γ(ν/2) √(νπ) σ) (1 + z²/ν)^(−(ν+1)/2)
def student_row(nu, m, s, xs, ordinary):
    with mp.workdps(digits(nu, m, s, *xs, 1 / s, 1 / nu) + 20):
        N, M, S = mp.mpf(nu), mp.mpf(m), mp.mpf(s)
        c = mp.loggamma((N + 1) / 2) - mp.loggamma(N / 2) - mp.log(N * mp.pi) / 2 - mp.log(S)
        lp = [c - (N + 1) / 2 * mp.log1p(((mp.mpf(x) - M) / S) ** 2 / N) for x in xs]
        h = ((N + 1) / 2 * (mp.digamma((N + 1) / 2) - mp.digamma(N / 2))
             + mp.log(mp.sqrt(N) * mp.beta(N / 2, mp.mpf(1) / 2)) + mp.log(S))
        row = {"df": nu, "loc": m, "scale": s, "x": xs, "logProb": [f(v) for v in lp], "entropy": f(h),
               "mean": f(M) if nu > 1 else None,
               "variance": (f(S * S * N / (N - 2)) if nu > 2 else "Infinity") if nu > 1 else None}
    if ordinary:
        d = stats.t(nu, m, s)
        for x, v in zip(xs, lp):
            agree(v, d.logpdf(x), ("t", nu, m, s, x))
        agree(h, d.entropy(), ("t entropy", nu, m, s))
    return row


out["studentT"] = [student_row(*c, True) for c in [(1.0, 0.0, 1.0, [0.5, 30.0]), (3.0, 1.0, 2.0, [-4.0]),
                                                   (0.5, 0.0, 1.0, [100.0]), (30.0, 0.0, 1.0, [1.0]),
                                                   (2.0, 0.5, 1.5, [0.0])]]
out["studentT"] += [student_row(*c, False) for c in [
    (1e6, 0.0, 1.0, [2.0]), (1e15, 2.0, 3.0, [5.0]), (1e300, 0.0, 1.0, [1.0]), (1e-3, 0.0, 1.0, [1e10]),
    (5.0, 0.0, 1e-100, [1e-100]), (2.5, 0.0, 1.0, [1e200])]]

# Uniform(a, b)
def uniform_row(a, b, xs, ordinary):
    with mp.workdps(digits(a, b, 1 / (mp.mpf(b) - a))):
        A, B = mp.mpf(a), mp.mpf(b)
        row = {"low": a, "high": b, "x": xs, "logProb": [f(-mp.log(B - A)) for _ in xs],
               "entropy": f(mp.log(B - A)), "mean": f((A + B) / 2), "variance": f((B - A) ** 2 / 12)}
    if ordinary:
        d = stats.uniform(a, b - a)
        for x in xs:
            agree(-mp.log(B - A), d.logpdf(x), ("uniform", a, b, x))
    return row


out["uniform"] = [uniform_row(*c, True) for c in [(0.0, 1.0, [0.3, 0.0, 1.0]), (-2.0, 5.0, [4.9])]]
out["uniform"] += [uniform_row(*c, False) for c in [(1e-300, 2e-300, [1.5e-300]), (-1e308, 1e308, [0.0]),
                                                    (1.0, 1.0000000000000002, [1.0])]]

# Categorical over {0, …, K − 1}
def categorical_row(kind, params):
    with mp.workdps(60):
        if kind == "logits":
            ls = [mp.mpf(v) for v in params]
            lse = mp.log(mp.fsum(mp.exp(v) for v in ls))
            lp = [v - lse for v in ls]
        else:
            lp = [mp.log(mp.mpf(p)) if p > 0 else mp.ninf for p in params]
        p = [mp.exp(v) for v in lp]
        mean = mp.fsum(k * q for k, q in enumerate(p))
        var = mp.fsum((k - mean) ** 2 * q for k, q in enumerate(p))
        h = -mp.fsum(q * v for q, v in zip(p, lp) if q > 0)
        return {kind: params, "logProb": [f(v) for v in lp], "entropy": f(h), "mean": f(mean), "variance": f(var)}


out["categorical"] = [categorical_row("probs", [0.2, 0.5, 0.3]), categorical_row("logits", [1.0, -2.0, 0.5, 3.0]),
                      categorical_row("logits", [1000.0, -1000.0, 0.0]), categorical_row("probs", [1.0, 0.0, 0.0]),
                      categorical_row("probs", [1e-300, 0.5, 0.5]), categorical_row("logits", [0.0])]
agree(out["categorical"][0]["entropy"], stats.multinomial(1, [0.2, 0.5, 0.3]).entropy(), "categorical entropy")

# Dirichlet(α): p(x) = Π xᵢ^(αᵢ−1) / B(α)
def dirichlet_row(alpha, xs, ordinary):
    with mp.workdps(digits(*alpha, *[1 / a for a in alpha])):
        A = [mp.mpf(a) for a in alpha]
        A0 = mp.fsum(A)
        lb = mp.fsum(mp.loggamma(a) for a in A) - mp.loggamma(A0)
        lp = [mp.fsum((a - 1) * mp.log(x) for a, x in zip(A, x)) - lb for x in xs]
        h = lb + (A0 - len(A)) * mp.digamma(A0) - mp.fsum((a - 1) * mp.digamma(a) for a in A)
        row = {"concentration": alpha, "x": xs, "logProb": [f(v) for v in lp], "entropy": f(h),
               "mean": [f(a / A0) for a in A], "variance": [f(a * (A0 - a) / (A0 ** 2 * (A0 + 1))) for a in A]}
    if ordinary:
        d = stats.dirichlet(alpha)
        for x, v in zip(xs, lp):
            agree(v, d.logpdf(x), ("dirichlet", alpha, x))
        agree(h, d.entropy(), ("dirichlet entropy", alpha))
    return row


out["dirichlet"] = [dirichlet_row([1.0, 2.0, 3.0], [[0.2, 0.3, 0.5]], True),
                    dirichlet_row([0.5, 0.5], [[0.1, 0.9]], True),
                    dirichlet_row([2.0, 0.7, 1.3, 5.0], [[0.25, 0.05, 0.2, 0.5]], True)]
out["dirichlet"] += [dirichlet_row(*c, False) for c in [
    ([1e6, 2e6, 3e6], [[1 / 6, 1 / 3, 0.5], [0.1667, 0.3333, 0.5]]),
    ([1e-3, 1e-3, 1e-3], [[0.1, 0.2, 0.7]]), ([1e10, 1e10], [[0.5, 0.5]]),
    ([1e-300, 1.0, 1.0], [[0.25, 0.25, 0.5]]), ([1e150, 1e150, 1.0], [[0.4, 0.4, 0.2]])]]

# Poisson(λ): log p(k) = k log λ − λ − log k!; H = −Σ p log p summed over the support
def poisson_row(lam, ks, ordinary):
    with mp.workdps(digits(lam, *ks, 1 / lam)):
        L = mp.mpf(lam)
        lp = [k * mp.log(L) - L - mp.loggamma(k + 1) for k in ks]
        row = {"rate": lam, "k": ks, "logProb": [f(v) for v in lp], "mean": f(L), "variance": f(L)}
    if lam <= 1e6:
        with mp.workdps(30):
            L = mp.mpf(lam)
            lo, hi = max(0, int(lam - 40 * math.sqrt(lam) - 40)), int(lam + 40 * math.sqrt(lam) + 60)
            terms = []
            for k in range(lo, hi):
                v = k * mp.log(L) - L - mp.loggamma(k + 1)
                terms.append(-mp.exp(v) * v)
            row["entropy"] = f(mp.fsum(terms))
    if ordinary:
        d = stats.poisson(lam)
        for k, v in zip(ks, lp):
            agree(v, d.logpmf(k), ("poisson", lam, k))
        agree(row["entropy"], d.entropy(), ("poisson entropy", lam))
    return row


out["poisson"] = [poisson_row(*c, True) for c in [(3.5, [2, 0, 10]), (0.1, [5, 0]), (7.5, [30, 7])]]
out["poisson"] += [poisson_row(*c, False) for c in [
    (1e-300, [0, 1, 3]), (1000.0, [1000, 900]), (12.5, [12, 0, 100]), (123456.7, [123456, 120000]),
    (1e6, [999000, 1000000]), (1e12, [1000001000000, 999999000000]), (1e15, [1000000000000000]),
    (2.0 ** -20, [0, 1])]]

# LogNormal(μ, σ): the law of exp(X), X ~ N(μ, σ²)
def lognormal_row(m, sd, xs, ordinary):
    with mp.workdps(digits(m, sd, 1 / sd)):
        M, S = mp.mpf(m), mp.mpf(sd)
        lp = [-mp.log(x) - mp.log(2 * mp.pi) / 2 - mp.log(S) - ((mp.log(x) - M) / S) ** 2 / 2 for x in xs]
        h = M + mp.mpf(1) / 2 + mp.log(2 * mp.pi) / 2 + mp.log(S)
        row = {"loc": m, "scale": sd, "x": xs, "logProb": [f(v) for v in lp], "entropy": f(h),
               "mean": f(mp.exp(M + S * S / 2)), "variance": f(mp.expm1(S * S) * mp.exp(2 * M + S * S))}
    if ordinary:
        d = stats.lognorm(sd, scale=math.exp(m))
        for x, v in zip(xs, lp):
            agree(v, d.logpdf(x), ("lognormal", m, sd, x))
        agree(h, d.entropy(), ("lognormal entropy", m, sd))
    return row


out["logNormal"] = [lognormal_row(*c, True) for c in [(0.0, 1.0, [1.0, 0.3, 5.0]), (1.5, 0.25, [4.0]),
                                                      (-2.0, 2.0, [1e-3])]]
out["logNormal"] += [lognormal_row(*c, False) for c in [
    (700.0, 1e-5, [1.0142320547350045e+304]), (700.0, 1e-200, [1.0142320547350045e+304]),
    (-700.0, 3.0, [1e-300]), (0.0, 25.0, [1e-100, 1e100]), (0.0, 1e-150, [1.0]), (-8.98846567431158e+307, 1.3407807929942597e+154, [1.0])]]

src = open(__file__).read()
print("// Generated by tests/reference/families_reference.py — do not edit. The script:")
print("//")
for line in src.splitlines():
    print(("// " + line).rstrip())
print("\n// deno-fmt-ignore")
print("export const FAMILIES = " + json.dumps(out) + " as const;")
