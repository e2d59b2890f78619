"""PyTorch reference for the black-box VI rows of bench/reference/compare_train_step.ts:
steps of the loop fitSurrogatePosterior runs — z = loc + L ε (L diagonal with a
softplus for mean field, lower triangular with a softplus diagonal for full
rank), loss = −(mean log p(z, y) + H[q]) with the entropy in closed form, Adam.

    /usr/bin/python3 bench/reference/vi_step.py --case logistic_large [--steps 40] [--threads 1]

Prints a JSON line: {"ms_per_step": median, ...}.
"""
import argparse
import math

import torch
import torch.nn.functional as F

from _blas_info import median_step_ms, report

Y = torch.tensor([28.0, 8, -3, 7, -1, 1, 18, 12])
SIGMA = torch.tensor([15.0, 10, 16, 11, 9, 11, 10, 18])


def normal_lp(x, loc, scale):
    return -0.5 * ((x - loc) / scale) ** 2 - torch.log(torch.as_tensor(scale)) - 0.5 * math.log(2 * math.pi)


def eight_schools(z):
    mu, u, eta = z[:, 0:1], z[:, 1:2], z[:, 2:]
    tau = F.softplus(u)
    log_tau = math.log(2 / (math.pi * 5)) - torch.log1p((tau / 5) ** 2)
    theta = mu + tau * eta
    terms = normal_lp(mu, 0.0, 5.0) + log_tau - F.softplus(-u)
    terms = terms + normal_lp(eta, 0.0, 1.0).sum(1, keepdim=True) + normal_lp(Y, theta, SIGMA).sum(1, keepdim=True)
    return terms.squeeze(1)


def logistic(n, d):
    g = torch.Generator().manual_seed(1)
    x = torch.rand(n, d, generator=g) * 2 - 1
    y = (torch.rand(n, generator=g) > 0.5).float()

    def target(w):
        logits = w @ x.T
        return (y * logits - F.softplus(logits)).sum(1) - 0.5 * (w ** 2).sum(1)

    return target


CASES = {
    "trivial": (2, 1, False, lambda z: -0.5 * (z ** 2).sum(1)),
    "eight_schools": (10, 16, False, eight_schools),
    "logistic_small": (4, 16, True, logistic(200, 4)),
    "logistic_large": (50, 8, False, logistic(10_000, 50)),
}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--case", choices=sorted(CASES), required=True)
    p.add_argument("--steps", type=int, default=40)
    p.add_argument("--threads", type=int, default=1)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    d, samples, full_rank, target = CASES[a.case]
    loc = torch.zeros(d, requires_grad=True)
    raw = torch.zeros(d * (d + 1) // 2 if full_rank else d, requires_grad=True)
    rows, cols = torch.tril_indices(d, d)
    diagonal = rows == cols
    opt = torch.optim.Adam([loc, raw], lr=0.01)

    def loss():
        if full_rank:
            values = torch.where(diagonal, F.softplus(raw) + 1e-5, raw)
            scale = torch.zeros(d, d).index_put((rows, cols), values)
            z = loc + torch.randn(samples, d) @ scale.T
            log_diag = torch.log(torch.diagonal(scale))
        else:
            sd = F.softplus(raw) + 1e-5
            z = loc + sd * torch.randn(samples, d)
            log_diag = torch.log(sd)
        entropy = log_diag.sum() + 0.5 * d * (1 + math.log(2 * math.pi))
        return -(target(z).mean() + entropy)

    report(ms_per_step=median_step_ms(opt, loss, a.steps, 10), case=a.case, threads=a.threads)

if __name__ == "__main__":
    main()
