"""PyTorch reference for `deno task train`: the same VAE trained the same way.

Same architecture (784-400-20, ReLU, linear heads for the location and log
sigma^2, Bernoulli decoder on logits), initialisation (Glorot-uniform weights,
zero biases), data and split (the embedded MNIST digits as elbo splits them,
exported by compare_training.ts), dynamic binarization of each batch, test set
binarized once with elbo's seed, batch size, epochs, Adam with the same step
size, and the same evaluation: the test ELBO (analytic KL, the expectation
averaged over k draws) and the importance-sampled log p(x) with k draws.

Run by bench/reference/compare_training.ts; alone:
    /usr/bin/python3 bench/reference/train_vae.py DATA_DIR --epochs 30 --k 200
Prints one JSON line.
"""
import argparse
import json
import math
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

from _blas_info import blas_info


class VAE(nn.Module):
    def __init__(self, d=784, hidden=(400,), k=20):
        super().__init__()
        sizes = [d, *hidden]
        self.enc = nn.ModuleList(nn.Linear(a, b) for a, b in zip(sizes, sizes[1:]))
        self.loc = nn.Linear(sizes[-1], k)
        self.logvar = nn.Linear(sizes[-1], k)
        dsizes = [k, *reversed(hidden), d]
        self.dec = nn.ModuleList(nn.Linear(a, b) for a, b in zip(dsizes, dsizes[1:]))
        for m in self.modules():
            if isinstance(m, nn.Linear):
                nn.init.xavier_uniform_(m.weight)
                nn.init.zeros_(m.bias)

    def encode(self, x):
        h = x
        for layer in self.enc:
            h = F.relu(layer(h))
        return self.loc(h), self.logvar(h)

    def decode(self, z):
        h = z
        for i, layer in enumerate(self.dec):
            h = layer(h)
            if i < len(self.dec) - 1:
                h = F.relu(h)
        return h

    def loss(self, x):
        loc, logvar = self.encode(x)
        z = loc + torch.exp(0.5 * logvar) * torch.randn_like(loc)
        rec = F.binary_cross_entropy_with_logits(self.decode(z), x, reduction="sum") / x.shape[0]
        kl = 0.5 * torch.sum(torch.exp(logvar) + loc**2 - 1 - logvar) / x.shape[0]
        return rec + kl

    @torch.no_grad()
    def evaluate(self, x, k, batch=100):
        n = x.shape[0]
        sum_logpx = sum_kl = sum_bound = 0.0
        for s in range(0, n, batch):
            xb = x[s : s + batch]
            loc, logvar = self.encode(xb)
            std = torch.exp(0.5 * logvar)
            z = loc + std * torch.randn(k, *loc.shape)
            logits = self.decode(z.reshape(-1, loc.shape[1])).reshape(k, xb.shape[0], -1)
            logpx = -F.binary_cross_entropy_with_logits(logits, xb.expand(k, -1, -1), reduction="none").sum(-1)
            logpz = (-0.5 * (z**2 + math.log(2 * math.pi))).sum(-1)
            logqz = (-0.5 * (((z - loc) / std) ** 2 + logvar + math.log(2 * math.pi))).sum(-1)
            bound = torch.logsumexp(logpx + logpz - logqz, 0) - math.log(k)
            kl = 0.5 * torch.sum(torch.exp(logvar) + loc**2 - 1 - logvar, -1)
            sum_logpx += logpx.mean(0).sum().item()
            sum_kl += kl.sum().item()
            sum_bound += bound.sum().item()
        return {"elbo": (sum_logpx - sum_kl) / n, "logLikelihood": sum_bound / n, "kl": sum_kl / n}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("data")
    p.add_argument("--epochs", type=int, default=30)
    p.add_argument("--batch-size", type=int, default=100)
    p.add_argument("--learning-rate", type=float, default=1e-3)
    p.add_argument("--k", type=int, default=200)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--threads", type=int, default=1)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    meta = json.load(open(f"{a.data}/meta.json"))
    train = torch.from_numpy(np.fromfile(f"{a.data}/train.f32", dtype=np.float32).reshape(meta["train"], 784))
    test = torch.from_numpy(np.fromfile(f"{a.data}/test_binarized.f32", dtype=np.float32).reshape(meta["test"], 784))
    model = VAE()
    opt = torch.optim.Adam(model.parameters(), lr=a.learning_rate)
    t0 = time.perf_counter()
    per_epoch = train.shape[0] // a.batch_size
    for epoch in range(a.epochs):
        order = torch.randperm(train.shape[0])
        for b in range(per_epoch):
            grey = train[order[b * a.batch_size : (b + 1) * a.batch_size]]
            x = (torch.rand_like(grey) < grey).float()  # dynamic binarization
            opt.zero_grad()
            model.loss(x).backward()
            opt.step()
    train_seconds = time.perf_counter() - t0
    t1 = time.perf_counter()
    ev = model.evaluate(test, a.k)
    print(json.dumps({**ev, "trainSeconds": train_seconds, "evalSeconds": time.perf_counter() - t1,
                      "epochs": a.epochs, "k": a.k, "torch": torch.__version__,
                      "blas": blas_info()}))


if __name__ == "__main__":
    main()
