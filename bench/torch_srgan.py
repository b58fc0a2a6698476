#!/usr/bin/env python3
"""Reference SRGAN training step in PyTorch on the CPU: the peer of `pnpm bench srgan-step`, with exactly
the nets of packages/plugin-srgan:

  G (srgan/srresnet, w = --width, B = --blocks, s = --scale), NCHW, 'same' padding:
    conv 9x9 -> w (bias), PReLU(w)                                         head
    B x [conv 3x3 w (no bias), BN, PReLU(w), conv 3x3 w (no bias), BN] + input
    conv 3x3 w (no bias), BN, + head                                       long skip
    log2(s) x [conv 3x3 -> 4w (bias), PixelShuffle(2), PReLU(w)]
    conv 9x9 -> C (bias), tanh
  --bn 0: no batch norm in G (convs get biases); --skip bilinear: + bilinear upscale of the input, no tanh
  D (srgan/discriminator, d = --dwidth, n = --ddepth, dense = --dense):
    conv 3x3 -> d (bias), LeakyReLU 0.2; for k in 0..n-1: [k > 0: conv 3x3 s1 -> d*2^k, BN, LReLU]
    conv 3x3 s2 -> d*2^k, BN, LReLU (convs before BN without bias); flatten, dense -> dense, LReLU, dense -> 1
  BN: momentum 0.1 (= tfjs 0.9), eps 1e-5. PReLU slopes 0.25.

  One step (the plugin's srgan/srgan objective): LR = antialiased bicubic downscale of the HR batch by s;
    1. discriminator (Adam over D): softplus(-D(HR)) + softplus(D(G(LR))) means, G in training mode but
       not differentiated;
    2. generator (Adam over G): MSE(G(LR), HR) + 1e-3 * softplus(-D(G(LR))) mean, on the same HR batch.
  Adam 1e-4, betas (0.9, 0.999). HR batches: fixed random images in [-1, 1].

Needs PyTorch on the CPU (Debian: apt-get install -y python3-torch, then /usr/bin/python3).
Prints one JSON line: {"peer":"pytorch", "img_per_s":..., "ms_per_step_median":..., "params":{...}, ...};
params count weights and batch-norm running statistics, as tfjs' countParams does.
"""
import argparse, json, math, statistics, time
import torch, torch.nn as nn, torch.nn.functional as F

p = argparse.ArgumentParser()
p.add_argument("--size", type=int, default=96)
p.add_argument("--channels", type=int, default=3)
p.add_argument("--scale", type=int, default=4)
p.add_argument("--width", type=int, default=32)
p.add_argument("--blocks", type=int, default=6)
p.add_argument("--dwidth", type=int, default=32)
p.add_argument("--ddepth", type=int, default=3)
p.add_argument("--dense", type=int, default=256)
p.add_argument("--bn", type=int, default=1)
p.add_argument("--skip", default="none")
p.add_argument("--batch", type=int, default=16)
p.add_argument("--steps", type=int, default=10)
p.add_argument("--warmup", type=int, default=3)
p.add_argument("--threads", type=int, default=2)
a = p.parse_args()
torch.set_num_threads(a.threads)
torch.manual_seed(0)


def bn(c):
    return nn.BatchNorm2d(c, momentum=0.1, eps=1e-5)


def gbn(c):
    """The generator's batch norm, or nothing with --bn 0 (srresnet option batchNorm false)."""
    return bn(c) if a.bn else nn.Identity()


class Block(nn.Module):
    def __init__(self, w):
        super().__init__()
        b = not a.bn
        self.body = nn.Sequential(nn.Conv2d(w, w, 3, padding=1, bias=b), gbn(w), nn.PReLU(w, 0.25), nn.Conv2d(w, w, 3, padding=1, bias=b), gbn(w))

    def forward(self, x):
        return x + self.body(x)


class SRResNet(nn.Module):
    def __init__(self, c, w, blocks, scale):
        super().__init__()
        self.head = nn.Sequential(nn.Conv2d(c, w, 9, padding=4), nn.PReLU(w, 0.25))
        self.trunk = nn.Sequential(*[Block(w) for _ in range(blocks)], nn.Conv2d(w, w, 3, padding=1, bias=not a.bn), gbn(w))
        up = []
        for _ in range(int(math.log2(scale))):
            up += [nn.Conv2d(w, 4 * w, 3, padding=1), nn.PixelShuffle(2), nn.PReLU(w, 0.25)]
        self.up = nn.Sequential(*up, nn.Conv2d(w, c, 9, padding=4), nn.Identity() if a.skip == "bilinear" else nn.Tanh())
        self.scale = scale

    def forward(self, x):
        h = self.head(x)
        out = self.up(h + self.trunk(h))
        if a.skip == "bilinear":
            out = out + F.interpolate(x, scale_factor=self.scale, mode="bilinear", align_corners=False)
        return out


class Discriminator(nn.Module):
    def __init__(self, c, size, d, depth, dense):
        super().__init__()
        layers = [nn.Conv2d(c, d, 3, padding=1), nn.LeakyReLU(0.2)]
        cin = d
        for k in range(depth):
            f = d * 2 ** k
            if k > 0:
                layers += [nn.Conv2d(cin, f, 3, padding=1, bias=False), bn(f), nn.LeakyReLU(0.2)]
                cin = f
            layers += [nn.Conv2d(cin, f, 3, stride=2, padding=1, bias=False), bn(f), nn.LeakyReLU(0.2)]
            cin = f
        side = size // 2 ** depth
        self.features = nn.Sequential(*layers)
        self.head = nn.Sequential(nn.Flatten(), nn.Linear(cin * side * side, dense), nn.LeakyReLU(0.2), nn.Linear(dense, 1))

    def forward(self, x):
        return self.head(self.features(x))


def count(m):
    return sum(t.numel() for t in m.parameters()) + sum(b.numel() for n, b in m.named_buffers() if not n.endswith("num_batches_tracked"))


G = SRResNet(a.channels, a.width, a.blocks, a.scale)
D = Discriminator(a.channels, a.size, a.dwidth, a.ddepth, a.dense)
optG = torch.optim.Adam(G.parameters(), lr=1e-4, betas=(0.9, 0.999))
optD = torch.optim.Adam(D.parameters(), lr=1e-4, betas=(0.9, 0.999))
hr_batches = [torch.rand(a.batch, a.channels, a.size, a.size) * 2 - 1 for _ in range(4)]
lr_side = a.size // a.scale


def lowres(hr):
    return F.interpolate(hr, size=(lr_side, lr_side), mode="bicubic", align_corners=False, antialias=True)


def step(hr):
    # 1. discriminator
    with torch.no_grad():
        sr = G(lowres(hr))
    optD.zero_grad(set_to_none=True)
    d_loss = F.softplus(-D(hr)).mean() + F.softplus(D(sr)).mean()
    d_loss.backward()
    optD.step()
    # 2. generator (D's weights are not updated by this phase)
    for q in D.parameters():
        q.requires_grad_(False)
    optG.zero_grad(set_to_none=True)
    sr = G(lowres(hr))
    g_loss = F.mse_loss(sr, hr) + 1e-3 * F.softplus(-D(sr)).mean()
    g_loss.backward()
    optG.step()
    for q in D.parameters():
        q.requires_grad_(True)


times = []
for i in range(a.warmup + a.steps):
    t = time.perf_counter()
    step(hr_batches[i % len(hr_batches)])
    if i >= a.warmup:
        times.append((time.perf_counter() - t) * 1000)
ms = statistics.median(times)
print(json.dumps({
    "peer": "pytorch", "version": torch.__version__, "threads": torch.get_num_threads(),
    "img_per_s": round(a.batch * 1000 / ms, 2), "ms_per_step_median": round(ms, 2), "ms_per_step": round(sum(times) / len(times), 2),
    "params": {"generator": count(G), "discriminator": count(D), "total": count(G) + count(D)},
}))
