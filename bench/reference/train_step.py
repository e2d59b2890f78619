"""PyTorch reference for bench/reference/compare_train_step.ts: one Adam step of
the same MLP VAE (784-400-20, batch 100, Bernoulli likelihood, analytic KL), or
(--eval) its importance-sampled test log p(x) with k = 200 on 1,000 images.

Run with Debian's torch:
    /usr/bin/python3 bench/reference/train_step.py [--steps 200] [--threads 1] [--eval]
Prints a JSON line: {"ms_per_step": median, ...} or {"eval_seconds": median, ...}.
"""
import argparse
import math
import statistics
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

from _blas_info import median_step_ms, report


class VAE(nn.Module):
    def __init__(self, d=784, h=400, k=20):
        super().__init__()
        self.enc = nn.Linear(d, h)
        self.loc = nn.Linear(h, k)
        self.logvar = nn.Linear(h, k)
        self.dec1 = nn.Linear(k, h)
        self.dec2 = nn.Linear(h, d)

    def loss(self, x):
        h = F.relu(self.enc(x))
        loc, logvar = self.loc(h), self.logvar(h)
        z = loc + torch.exp(0.5 * logvar) * torch.randn_like(loc)
        logits = self.dec2(F.relu(self.dec1(z)))
        rec = F.binary_cross_entropy_with_logits(logits, x, reduction="sum") / x.shape[0]
        kl = 0.5 * torch.sum(torch.exp(logvar) + loc**2 - 1 - logvar) / x.shape[0]
        return rec + kl


    @torch.no_grad()
    def log_px(self, x, k=200, chunk=25):
        """Importance-sampled log p(x) per row, k draws from q(z|x) in chunks."""
        h = F.relu(self.enc(x))
        loc, logvar = self.loc(h), self.logvar(h)
        std = torch.exp(0.5 * logvar)
        parts = []
        for _ in range(0, k, chunk):
            eps = torch.randn(chunk, *loc.shape)
            z = loc + std * eps
            logits = self.dec2(F.relu(self.dec1(z)))
            ll = -F.binary_cross_entropy_with_logits(logits, x.expand_as(logits), reduction="none").sum(-1)
            log_pz = -0.5 * (z**2 + math.log(2 * math.pi)).sum(-1)
            log_qz = -0.5 * (eps**2 + math.log(2 * math.pi) + logvar).sum(-1)
            parts.append(ll + log_pz - log_qz)
        return torch.logsumexp(torch.cat(parts), 0) - math.log(k)


def evaluate(model, repeats):
    """Seconds for the default run's final evaluation: 1,000 images, k = 200, batches of 100."""
    x = (torch.rand(1000, 784) < torch.rand(1000, 784)).float()
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        total = sum(float(model.log_px(x[i:i + 100]).sum()) for i in range(0, 1000, 100))
        times.append(time.perf_counter() - t0)
    return statistics.median(times), total / 1000


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--steps", type=int, default=200)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--eval", action="store_true")
    p.add_argument("--repeats", type=int, default=3)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    model = VAE()
    if a.eval:
        seconds, _ = evaluate(model, a.repeats)
        report(eval_seconds=seconds, threads=a.threads)
        return
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    x = (torch.rand(100, 784) < torch.rand(100, 784)).float()
    ms = median_step_ms(opt, lambda: model.loss(x), a.steps, 20)
    report(ms_per_step=ms, steps=a.steps, threads=a.threads)


if __name__ == "__main__":
    main()
