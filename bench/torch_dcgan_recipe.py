#!/usr/bin/env python3
"""The same-recipe PyTorch peer of specs/dcgan-mnist.json (plain or self-conditioned), for `pnpm bench quality-peer`.

It trains the nets that plugin-dcgan builds for that spec, on the same training digits (written by the
bench: the 9,000 the spec trains on, scaled to [-1, 1]), with the same batch, steps, losses, optimizers and
generator EMA, then writes samples that the bench scores with the same plugin-eval metrics against the same
1,000 held-out digits. If PyTorch does much better with this recipe, the difference is a ganforge bug.

Nets (w = width, z = latent size; ganforge's 'same' padding = PyTorch padding 1 for 4x4 stride 2):
  G: z -> dense 7*7*2w (no bias) -> BN -> ReLU -> convT 4x4 s2 -> w (no bias) -> BN -> ReLU
       -> convT 4x4 s2 -> 1 (bias) -> tanh
  D: conv 4x4 s2 -> w (bias) -> LReLU 0.2 -> conv 4x4 s2 -> 2w (no bias) -> BN -> LReLU 0.2
       -> flatten -> dense 1 (logit)
  init: kernels N(0, 0.02), BN scales N(1, 0.02) (plugin-dcgan's "dcgan" init); BN momentum 0.1, eps 1e-5.
  step: D on a real batch + a fake batch (non-saturating BCE), then G on the same noise; Adam per spec.
  EMA of G's parameters and BN buffers, decay d from step s (weights copied at s), samples from the EMA G
  in eval mode (BN running statistics), as ganforge's export does.
Self-conditioning (--codes K, the spec's generator codes = discriminator classes = objective clusters):
  G reads c = softmax(1000 z[:K]) (one-hot of the argmax) and takes [c, z]; D adds <embed(y), features> to its
  logit (projection, embed = one-hot -> dense F without bias); y = the code for fakes and, for reals, the
  nearest of K centroids learned by online k-means over the real batches (the first K images seed them, each
  then the running mean of its images), as plugin-dcgan's objective option `clusters` does. No label is read.

Needs PyTorch on the CPU (Debian: apt-get install -y python3-torch, then /usr/bin/python3).
"""
import argparse, copy, json, time
import numpy as np
import torch, torch.nn as nn

p = argparse.ArgumentParser()
p.add_argument("--data", required=True, help="float32 [n, 28, 28] in [-1, 1]")
p.add_argument("--out", required=True, help="float32 [samples, 28, 28] written here")
p.add_argument("--samples", type=int, default=1000)
p.add_argument("--steps", type=int, default=2200)
p.add_argument("--batch", type=int, default=32)
p.add_argument("--width", type=int, default=32)
p.add_argument("--latent", type=int, default=100)
p.add_argument("--lr", type=float, default=2e-4)
p.add_argument("--beta1", type=float, default=0.5)
p.add_argument("--beta2", type=float, default=0.999)
p.add_argument("--adam-eps", type=float, default=1e-8)
p.add_argument("--ema-decay", type=float, default=0.995)
p.add_argument("--ema-start", type=int, default=500)
p.add_argument("--threads", type=int, default=1)
p.add_argument("--seed", type=int, default=0)
p.add_argument("--codes", type=int, default=0, help="self-conditioning by K pixel clusters (0: plain DCGAN)")
a = p.parse_args()
torch.set_num_threads(a.threads)
torch.manual_seed(a.seed)
rng = np.random.default_rng(a.seed)

x = np.fromfile(a.data, dtype=np.float32).reshape(-1, 1, 28, 28)
X = torch.from_numpy(x)
w, Z, K = a.width, a.latent, a.codes

G = nn.Sequential(
    nn.Linear(Z + K, 7 * 7 * 2 * w, bias=False), nn.Unflatten(1, (2 * w, 7, 7)), nn.BatchNorm2d(2 * w, eps=1e-5, momentum=0.1), nn.ReLU(),
    nn.ConvTranspose2d(2 * w, w, 4, 2, 1, bias=False), nn.BatchNorm2d(w, eps=1e-5, momentum=0.1), nn.ReLU(),
    nn.ConvTranspose2d(w, 1, 4, 2, 1), nn.Tanh())
D = nn.Sequential(
    nn.Conv2d(1, w, 4, 2, 1), nn.LeakyReLU(0.2),
    nn.Conv2d(w, 2 * w, 4, 2, 1, bias=False), nn.BatchNorm2d(2 * w, eps=1e-5, momentum=0.1), nn.LeakyReLU(0.2),
    nn.Flatten(), nn.Linear(7 * 7 * 2 * w, 1))


class Coded(nn.Module):
    """G with its code read from the noise (plugin-dcgan's codes option)."""
    def __init__(self, body):
        super().__init__()
        self.body = body

    def forward(self, z):
        return self.body(torch.cat([torch.softmax(1000 * z[:, :K], 1), z], 1) if K else z)


class Projection(nn.Module):
    """D's logit plus <embed(y), features> (plugin-dcgan's conditional "projection")."""
    def __init__(self, body):
        super().__init__()
        self.features, self.logit = body[:-1], body[-1]
        self.embed = nn.Linear(K, 7 * 7 * 2 * w, bias=False) if K else None

    def forward(self, x, y=None):
        f = self.features(x)
        out = self.logit(f)
        if self.embed is not None:
            out = out + (self.embed(nn.functional.one_hot(y, K).float()) * f).sum(1, keepdim=True)
        return out


class PixelClusters:
    """Online k-means over the real images' pixels (plugin-dcgan's src/pseudo-labels.ts)."""
    def __init__(self, k):
        self.k, self.c, self.counts, self.filled = k, None, np.zeros(k), 0

    def assign_and_learn(self, images):
        x = images.reshape(len(images), -1)
        seeded = 0
        if self.filled < self.k:
            seeded = min(len(x), self.k - self.filled)
            if self.c is None:
                self.c = torch.zeros(self.k, x.shape[1])
            self.c[self.filled:self.filled + seeded] = x[:seeded]
            self.counts[self.filled:self.filled + seeded] = 1
            self.filled += seeded
        c = self.c[:self.filled]
        labels = ((c * c).sum(1)[None, :] - 2 * x @ c.T).argmin(1)
        onehot = nn.functional.one_hot(labels, self.k).float()
        onehot[:seeded] = 0  # images that just became centroids are counted already
        n = onehot.sum(0)
        self.counts += n.numpy()
        rate = torch.from_numpy(np.where(self.counts > 0, 1 / np.maximum(self.counts, 1), 0)).float()[:, None]
        self.c = self.c + (onehot.T @ x - n[:, None] * self.c) * rate
        return labels


G, D = Coded(G), Projection(D)
clusters = PixelClusters(K) if K else None
for m in list(G.modules()) + list(D.modules()):
    if isinstance(m, (nn.Linear, nn.Conv2d, nn.ConvTranspose2d)):
        nn.init.normal_(m.weight, 0.0, 0.02)
        if m.bias is not None:
            nn.init.zeros_(m.bias)
    elif isinstance(m, nn.BatchNorm2d):
        nn.init.normal_(m.weight, 1.0, 0.02)
        nn.init.zeros_(m.bias)

opt = dict(lr=a.lr, betas=(a.beta1, a.beta2), eps=a.adam_eps)
gO, dO = torch.optim.Adam(G.parameters(), **opt), torch.optim.Adam(D.parameters(), **opt)
bce = nn.BCEWithLogitsLoss()
ema = None

order, cursor = rng.permutation(len(X)), 0
t0 = time.perf_counter()
for step in range(1, a.steps + 1):
    if cursor + a.batch > len(X):
        order, cursor = rng.permutation(len(X)), 0
    real = X[order[cursor:cursor + a.batch]]
    cursor += a.batch
    z = torch.randn(a.batch, Z)
    fake = G(z)
    y_real = clusters.assign_and_learn(real) if clusters else None
    y_fake = z[:, :K].argmax(1) if K else None
    lr_, lf = D(real, y_real), D(fake.detach(), y_fake)
    ld = bce(lr_, torch.ones_like(lr_)) + bce(lf, torch.zeros_like(lf))
    dO.zero_grad(); ld.backward(); dO.step()
    lf = D(fake, y_fake)
    lg = bce(lf, torch.ones_like(lf))
    gO.zero_grad(); lg.backward(); gO.step()
    if step == a.ema_start:
        ema = copy.deepcopy(G)
    elif ema is not None:
        with torch.no_grad():
            for e, g in zip(list(ema.parameters()) + list(ema.buffers()), list(G.parameters()) + list(G.buffers())):
                if e.dtype.is_floating_point:
                    e.mul_(a.ema_decay).add_(g, alpha=1 - a.ema_decay)
                else:
                    e.copy_(g)
seconds = time.perf_counter() - t0

final = (ema if ema is not None else G).eval()
with torch.no_grad():
    out = torch.cat([final(torch.randn(min(250, a.samples - i), Z)) for i in range(0, a.samples, 250)])
out.numpy().astype(np.float32).reshape(-1).tofile(a.out)
print(json.dumps({"peer": "pytorch", "version": torch.__version__, "threads": torch.get_num_threads(), "steps": a.steps,
                  "batch": a.batch, "train_seconds": round(seconds, 1), "img_per_s": round(a.steps * a.batch / seconds, 1),
                  "last_losses": {"discriminator": round(ld.item(), 4), "generator": round(lg.item(), 4)},
                  "params": {"generator": sum(t.numel() for t in G.parameters()), "discriminator": sum(t.numel() for t in D.parameters())}}))
