"""PyTorch reference for the conv VAE step of bench/reference/compare_train_step.ts:
one Adam step of the convolutional VAE of Burgess et al. (2018) on 64 × 64
binary images, batch 64, 10 latents, as elbo's `network: "conv"` builds it.

    /usr/bin/python3 bench/reference/conv_step.py [--steps 20] [--threads 1]

Prints a JSON line: {"ms_per_step": median, ...}.
"""
import argparse

import torch
import torch.nn as nn
import torch.nn.functional as F

from _blas_info import median_step_ms, report

class VAE(nn.Module):
    """Four 4x4 stride-2 convolutions of 32 channels, dense 256-256, 10 latents, and the mirror."""

    def __init__(s, k=10):
        super().__init__()
        s.e = nn.ModuleList([nn.Conv2d(1,32,4,2,1), nn.Conv2d(32,32,4,2,1), nn.Conv2d(32,32,4,2,1), nn.Conv2d(32,32,4,2,1)])
        s.f1 = nn.Linear(512,256); s.f2 = nn.Linear(256,256); s.mu = nn.Linear(256,k); s.lv = nn.Linear(256,k)
        s.g1 = nn.Linear(k,256); s.g2 = nn.Linear(256,256); s.g3 = nn.Linear(256,512)
        s.d = nn.ModuleList([nn.ConvTranspose2d(32,32,4,2,1), nn.ConvTranspose2d(32,32,4,2,1), nn.ConvTranspose2d(32,32,4,2,1), nn.ConvTranspose2d(32,1,4,2,1)])
    def loss(s, x):
        h = x
        for c in s.e: h = F.relu(c(h))
        h = F.relu(s.f2(F.relu(s.f1(h.flatten(1)))))
        mu, lv = s.mu(h), s.lv(h)
        z = mu + torch.exp(0.5*lv)*torch.randn_like(mu)
        h = F.relu(s.g3(F.relu(s.g2(F.relu(s.g1(z)))))).view(-1,32,4,4)
        for i, c in enumerate(s.d): h = c(h) if i == 3 else F.relu(c(h))
        rec = F.binary_cross_entropy_with_logits(h, x, reduction="sum")/x.shape[0]
        kl = 0.5*torch.sum(torch.exp(lv)+mu**2-1-lv)/x.shape[0]
        return rec + kl


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--steps", type=int, default=20)
    p.add_argument("--threads", type=int, default=1)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    m = VAE()
    opt = torch.optim.Adam(m.parameters(), 5e-4)
    x = (torch.rand(64, 1, 64, 64) < 0.1).float()
    report(ms_per_step=median_step_ms(opt, lambda: m.loss(x), a.steps, 5), steps=a.steps, threads=a.threads)


if __name__ == "__main__":
    main()
