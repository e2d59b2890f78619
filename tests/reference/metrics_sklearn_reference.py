"""Reference values for the disentanglement metrics, from numpy and scikit-learn.

Run: /usr/bin/python3 tests/reference/metrics_sklearn_reference.py > tests/metrics/_sklearn_reference.ts
     && deno fmt tests/metrics/_sklearn_reference.ts
(Debian's python3-numpy and python3-sklearn; scikit-learn 1.2.1 made the file.)

The data are integers from a Park-Miller generator turned into floats by single
IEEE operations, so tests/metrics/_data.ts rebuilds them bit for bit. The
metrics follow disentanglement_lib's code: its histogram discretiser
(np.histogram edges and np.digitize), sklearn.metrics.mutual_info_score, the
MIG of _compute_mig, SAP's LinearSVC(C=0.01, class_weight="balanced") score
matrix, DCI's GradientBoostingClassifier importances, and LogisticRegression
(run to convergence) for the BetaVAE score's classifier.

DCI is also scored on continuous codes (a second data set: 3,000 rows of
dSprites-sized factors, lightly mixed codes of thousands of distinct values,
where trees must split exactly), and with a duplicated code. scikit-learn
gives each split tied between twin codes to one of them at random (the first in
a random order of features), so the reference importances are the expectation
of that draw: averaged over 20 random_states on the small data set, and exactly
half the single code's importance each on the large one (twins leave the trees
unchanged whichever is picked). The script takes a minute or two.
"""
import json
import numpy as np
import scipy.stats
import sklearn
from sklearn import ensemble, linear_model, metrics, svm


def park_miller(seed):
    state = seed
    while True:
        state = (16807 * state) % 2147483647
        yield state


def dataset(n=600, seed=20261123):
    g = park_miller(seed)
    codes, factors = [], []
    for _ in range(n):
        f0, f1, f2 = next(g) % 3, next(g) % 4, next(g) % 5
        u0, u1, u2, u3 = (next(g) % 1000 for _ in range(4))
        factors.append([f0, f1, f2])
        codes.append([
            f0 + (u0 - 500) / 2000,  # a noisy copy of factor 0
            f1 * 3 + u1 / 500,  # a rescaled noisy copy of factor 1
            f2 / 4 + f0 / 10 + u2 / 10000,  # factor 2 with some of factor 0
            u3 / 100,  # noise
        ])
    return np.array(codes).T, np.array(factors).T  # disentanglement_lib's (dims, n)


mus, ys = dataset()
n_train = 400  # utils.split_train_test(…, 2/3): the first ceil(600 · 2/3) rows

discretized = np.zeros_like(mus)
for i in range(mus.shape[0]):
    discretized[i, :] = np.digitize(mus[i, :], np.histogram(mus[i, :], 20)[1][:-1])
m = np.array([[metrics.mutual_info_score(ys[j], discretized[i]) for j in range(3)] for i in range(4)])
entropy = np.array([metrics.mutual_info_score(ys[j], ys[j]) for j in range(3)])
sorted_m = np.sort(m, axis=0)[::-1]
mig = float(np.mean((sorted_m[0] - sorted_m[1]) / entropy))

sap_matrix = np.zeros((4, 3))
for i in range(4):
    for j in range(3):
        clf = svm.LinearSVC(C=0.01, class_weight="balanced")  # as disentanglement_lib
        clf.fit(mus[i, :n_train, None], ys[j, :n_train])
        sap_matrix[i, j] = np.mean(clf.predict(mus[i, n_train:, None]) == ys[j, n_train:])
s = np.sort(sap_matrix, axis=0)
sap = float(np.mean(s[-1] - s[-2]))

# One SVM's coefficients, three classes one-vs-rest and two classes.
svm3 = svm.LinearSVC(C=0.01, class_weight="balanced", tol=1e-8, max_iter=1000000)
svm3.fit(mus[0, :n_train, None], ys[0, :n_train])
binary = (ys[1, :n_train] >= 2).astype(int)
svm2 = svm.LinearSVC(C=0.01, class_weight="balanced", tol=1e-8, max_iter=1000000)
svm2.fit(mus[1, :n_train, None], binary)

importance = np.zeros((4, 3))
dci_accuracy = []
for j in range(3):
    gbt = ensemble.GradientBoostingClassifier(random_state=0)
    gbt.fit(mus[:, :n_train].T, ys[j, :n_train])
    importance[:, j] = np.abs(gbt.feature_importances_)
    dci_accuracy.append(np.mean(gbt.predict(mus[:, n_train:].T) == ys[j, n_train:]))
per_code = 1.0 - scipy.stats.entropy(importance.T + 1e-11, base=3)
disentanglement = float(np.sum(per_code * importance.sum(axis=1) / importance.sum()))
per_factor = 1.0 - scipy.stats.entropy(importance + 1e-11, base=4)
completeness = float(np.sum(per_factor * importance.sum(axis=0) / importance.sum()))

def dci_importance(codes, factors, n_train, random_state=0):
    """disentanglement_lib's DCI importance matrix (codes × factors) and mean test accuracy."""
    importance = np.zeros((codes.shape[0], factors.shape[0]))
    accuracy = []
    for j in range(factors.shape[0]):
        gbt = ensemble.GradientBoostingClassifier(random_state=random_state)
        gbt.fit(codes[:, :n_train].T, factors[j, :n_train])
        importance[:, j] = np.abs(gbt.feature_importances_)
        accuracy.append(np.mean(gbt.predict(codes[:, n_train:].T) == factors[j, n_train:]))
    return importance, float(np.mean(accuracy))


def dci_scores(importance):
    """Disentanglement and completeness of an importance matrix, as disentanglement_lib."""
    d, k = importance.shape
    per_code = 1.0 - scipy.stats.entropy(importance.T + 1e-11, base=k)
    per_factor = 1.0 - scipy.stats.entropy(importance + 1e-11, base=d)
    return {
        "disentanglement": float(np.sum(per_code * importance.sum(axis=1) / importance.sum())),
        "completeness": float(np.sum(per_factor * importance.sum(axis=0) / importance.sum())),
    }


# The reference data with code 2 (factor 2 with some of factor 0) given twice.
twin_runs = [dci_importance(np.vstack([mus, mus[2:3]]), ys, n_train, seed)[0] for seed in range(20)]
dci_duplicate = dci_scores(np.mean(twin_runs, axis=0))

SIZES = [3, 6, 40, 32, 32]  # dSprites: shape, scale, orientation, x, y


def mixed_dataset(n=3000, seed=20260517):
    g = park_miller(seed)
    codes, factors = [], []
    for _ in range(n):
        f = [next(g) % m for m in SIZES]
        u = [next(g) % 1000 for _ in range(6)]
        s = [f[j] / (SIZES[j] - 1) for j in range(5)]
        factors.append(f)
        codes.append(
            # Factor j scaled to [0, 1], a tenth of the next factor, noise of ±0.0005.
            [s[j] + s[(j + 1) % 5] / 10 + (u[j] - 500) / 1000000 for j in range(5)]
            + [u[5] / 1000]  # noise
        )
    return np.array(codes).T, np.array(factors).T


mixed_codes, mixed_factors = mixed_dataset()
mixed_importance, mixed_accuracy = dci_importance(mixed_codes, mixed_factors, 2000)
# Code 0 given twice: each twin holds half of code 0's importance (in expectation).
twins = np.vstack([mixed_importance[:1] / 2, mixed_importance[1:], mixed_importance[:1] / 2])

lr = linear_model.LogisticRegression(tol=1e-12, max_iter=100000)
lr.fit(mus[:, :n_train].T, ys[2, :n_train])
lr2 = linear_model.LogisticRegression(tol=1e-12, max_iter=100000)
lr2.fit(mus[:, :n_train].T, (ys[0, :n_train] == 0).astype(int))

out = {
    # Bins 1…20 of np.digitize as the letters A…T, one string per code.
    "bins": ["".join(chr(64 + b) for b in row) for row in discretized.astype(int)],
    "mutualInformation": m.tolist(),
    "entropy": entropy.tolist(),
    "mig": mig,
    "sapMatrix": sap_matrix.tolist(),
    "sap": sap,
    "svm3": {"w": svm3.coef_[:, 0].tolist(), "b": svm3.intercept_.tolist()},
    "svm2": {"w": float(svm2.coef_[0, 0]), "b": float(svm2.intercept_[0])},
    "importance": importance.tolist(),
    "dci": {
        "disentanglement": disentanglement,
        "completeness": completeness,
        "informativeness": float(np.mean(dci_accuracy)),
    },
    "logistic": {
        "w": lr.coef_.tolist(),
        "b": lr.intercept_.tolist(),
        "accuracy": float(np.mean(lr.predict(mus[:, n_train:].T) == ys[2, n_train:])),
    },
    "logisticBinary": {"w": lr2.coef_[0].tolist(), "b": float(lr2.intercept_[0])},
    # DCI of the reference data with code 2 duplicated (importances averaged over 20 seeds).
    "dciDuplicate": dci_duplicate,
    # DCI of the continuous codes (first 2,000 rows train), and with code 0 duplicated.
    "dciMixed": {**dci_scores(mixed_importance), "informativeness": mixed_accuracy},
    "dciMixedDuplicate": dci_scores(twins),
}

source = open(__file__).read().rstrip("\n").split("\n")
print(f"// Generated by tests/reference/metrics_sklearn_reference.py (scikit-learn {sklearn.__version__}) — do not edit.")
print("// The script:\n//")
print("\n".join(("// " + line).rstrip() for line in source))
print("\n/** Values from numpy and scikit-learn; see the script above. */")
print(f"export const SKLEARN = {json.dumps(out)} as const;")
