#!/usr/bin/env python3
"""Reference CycleGAN training step in PyTorch on the CPU: the peer of `pnpm bench cyclegan-step`, with
exactly the nets of packages/plugin-cyclegan (norm "instance", the plugin's default):

  G (cyclegan/resnet-generator, w = --width, C = output channels), NCHW:
    reflect pad 3, conv 7x7 -> w (no bias), IN, ReLU                     c7s1-w
    conv 3x3 s2 p1 -> 2w (no bias), IN, ReLU; conv 3x3 s2 p1 -> 4w, ...  d2w, d4w
    --blocks x [reflect 1, conv 3x3 4w (no bias), IN, ReLU,
                reflect 1, conv 3x3 4w (no bias), IN] + input            R4w
    convT 3x3 s2 -> 2w (no bias), IN, ReLU; convT 3x3 s2 -> w, ...      u2w, uw
    reflect pad 3, conv 7x7 -> C (bias), tanh                            c7s1-C
  D (cyclegan/patchgan, d = --dwidth, n = --dlayers):
    for i in 0..n: conv 4x4 p1 -> d*min(2^i, 8), stride 2 (i < n) or 1 (i = n); bias and no norm for i = 0,
    no bias + IN for i > 0; LeakyReLU 0.2;  then conv 4x4 p1 -> 1 (bias): one raw score per patch.
  IN = InstanceNorm2d(affine=True, eps 1e-5): per-sample, per-channel over H, W (biased variance), as the
  plugin's InstanceNormalization layer. Init: conv weights N(0, 0.02), IN scales N(1, 0.02), biases 0.
  The transposed convs use padding=1, output_padding=1 (the paper's code): the same cost and weights as
  tfjs' conv2dTranspose 'same' (k3 s2), whose output is aligned one pixel earlier (full[0:2n] vs full[1:2n+1]).

  One step (the paper's code, and the plugin's cyclegan/cyclegan objective):
    1. generators (one Adam over gAB + gBA, D weights frozen): LSGAN mean((D(fake)-1)^2) through dB and dA,
       + 10 * (|gBA(gAB(a)) - a| + |gAB(gBA(b)) - b|) + 5 * (|gAB(b) - b| + |gBA(a) - a|) (L1 means);
    2. discriminators (one Adam over dA + dB): 0.5 * [mean((D(real)-1)^2) + mean(D(pool(fake))^2)] per D,
       on the fakes of step 1 through an image pool of 50 (per image: stored while not full, else with
       probability 1/2 swapped with a random stored one).
  Adam 2e-4, betas (0.5, 0.999) for both. Real batches: fixed random images in [-1, 1].

Needs PyTorch on the CPU (Debian: apt-get install -y python3-torch, then /usr/bin/python3).
Prints one JSON line: {"peer":"pytorch", "img_per_s":..., "ms_per_step_median":..., "params":{...}, ...};
img_per_s counts the images of one domain per step (= batch), from the median step time.
"""
import argparse, json, random, statistics, time
import torch, torch.nn as nn

p = argparse.ArgumentParser()
p.add_argument("--size", type=int, default=28)
p.add_argument("--channels-a", type=int, default=1)
p.add_argument("--channels-b", type=int, default=1)
p.add_argument("--width", type=int, default=16)
p.add_argument("--blocks", type=int, default=3)
p.add_argument("--dwidth", type=int, default=16)
p.add_argument("--dlayers", type=int, default=2)
p.add_argument("--batch", type=int, default=4)
p.add_argument("--steps", type=int, default=10)
p.add_argument("--warmup", type=int, default=3)
p.add_argument("--threads", type=int, default=2)
p.add_argument("--pool", type=int, default=50)
a = p.parse_args()
torch.set_num_threads(a.threads)
torch.manual_seed(0)
random.seed(0)


def IN(c):
    return nn.InstanceNorm2d(c, eps=1e-5, affine=True)


class ResBlock(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.body = nn.Sequential(
            nn.ReflectionPad2d(1), nn.Conv2d(c, c, 3, bias=False), IN(c), nn.ReLU(True),
            nn.ReflectionPad2d(1), nn.Conv2d(c, c, 3, bias=False), IN(c))

    def forward(self, x):
        return x + self.body(x)


def generator(cin, cout, w, blocks):
    layers = [nn.ReflectionPad2d(3), nn.Conv2d(cin, w, 7, bias=False), IN(w), nn.ReLU(True)]
    for i in (1, 2):
        layers += [nn.Conv2d(w * 2 ** (i - 1), w * 2 ** i, 3, 2, 1, bias=False), IN(w * 2 ** i), nn.ReLU(True)]
    layers += [ResBlock(w * 4) for _ in range(blocks)]
    for i in (1, 0):
        layers += [nn.ConvTranspose2d(w * 2 ** (i + 1), w * 2 ** i, 3, 2, 1, output_padding=1, bias=False), IN(w * 2 ** i), nn.ReLU(True)]
    layers += [nn.ReflectionPad2d(3), nn.Conv2d(w, cout, 7, bias=True), nn.Tanh()]
    return nn.Sequential(*layers)


def patchgan(cin, d, n):
    layers, prev = [], cin
    for i in range(n + 1):
        f = d * min(2 ** i, 8)
        layers.append(nn.Conv2d(prev, f, 4, 2 if i < n else 1, 1, bias=(i == 0)))
        if i > 0:
            layers.append(IN(f))
        layers.append(nn.LeakyReLU(0.2, True))
        prev = f
    layers.append(nn.Conv2d(prev, 1, 4, 1, 1, bias=True))
    return nn.Sequential(*layers)


def init(m):
    if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d)):
        nn.init.normal_(m.weight, 0.0, 0.02)
        if m.bias is not None:
            nn.init.zeros_(m.bias)
    elif isinstance(m, nn.InstanceNorm2d):
        nn.init.normal_(m.weight, 1.0, 0.02)
        nn.init.zeros_(m.bias)


class ImagePool:
    def __init__(self, size):
        self.size, self.images = size, []

    def query(self, fakes):
        if self.size == 0:
            return fakes
        out = []
        for image in fakes:
            image = image.unsqueeze(0)
            if len(self.images) < self.size:
                self.images.append(image)
                out.append(image)
            elif random.uniform(0, 1) > 0.5:
                j = random.randint(0, self.size - 1)
                out.append(self.images[j].clone())
                self.images[j] = image
            else:
                out.append(image)
        return torch.cat(out, 0)


gAB = generator(a.channels_a, a.channels_b, a.width, a.blocks)
gBA = generator(a.channels_b, a.channels_a, a.width, a.blocks)
dA = patchgan(a.channels_a, a.dwidth, a.dlayers)
dB = patchgan(a.channels_b, a.dwidth, a.dlayers)
nets = {"gAB": gAB, "gBA": gBA, "dA": dA, "dB": dB}
for net in nets.values():
    net.apply(init)
params = {k: sum(p.numel() for p in net.parameters()) for k, net in nets.items()}
params["total"] = sum(params.values())

gO = torch.optim.Adam(list(gAB.parameters()) + list(gBA.parameters()), 2e-4, betas=(0.5, 0.999))
dO = torch.optim.Adam(list(dA.parameters()) + list(dB.parameters()), 2e-4, betas=(0.5, 0.999))
poolA, poolB = ImagePool(a.pool), ImagePool(a.pool)
mse, l1 = nn.MSELoss(), nn.L1Loss()
realA = torch.rand(a.batch, a.channels_a, a.size, a.size) * 2 - 1
realB = torch.rand(a.batch, a.channels_b, a.size, a.size) * 2 - 1
identity = a.channels_a == a.channels_b  # the plugin requires weight 0 otherwise


def lsgan_g(score):
    return mse(score, torch.ones_like(score))


def set_requires_grad(nets_, flag):
    for net in nets_:
        for q in net.parameters():
            q.requires_grad = flag


def step():
    # 1. generators
    set_requires_grad([dA, dB], False)
    fakeB, fakeA = gAB(realA), gBA(realB)
    adversarial = lsgan_g(dB(fakeB)) + lsgan_g(dA(fakeA))
    cycle = 10 * (l1(gBA(fakeB), realA) + l1(gAB(fakeA), realB))
    loss_g = adversarial + cycle
    if identity:
        loss_g = loss_g + 5 * (l1(gAB(realB), realB) + l1(gBA(realA), realA))
    gO.zero_grad(set_to_none=True)
    loss_g.backward()
    gO.step()
    # 2. discriminators, on this step's fakes (made before the generators' update) through the pools
    set_requires_grad([dA, dB], True)
    pa, pb = poolA.query(fakeA.detach()), poolB.query(fakeB.detach())

    def lsgan_d(d, real, fake):
        sr, sf = d(real), d(fake)
        return 0.5 * (mse(sr, torch.ones_like(sr)) + mse(sf, torch.zeros_like(sf)))

    loss_d = lsgan_d(dA, realA, pa) + lsgan_d(dB, realB, pb)
    dO.zero_grad(set_to_none=True)
    loss_d.backward()
    dO.step()
    return loss_g.item(), loss_d.item()


for _ in range(a.warmup):
    step()
times = []
t0 = time.perf_counter()
for _ in range(a.steps):
    t = time.perf_counter()
    step()
    times.append((time.perf_counter() - t) * 1000)
total = (time.perf_counter() - t0) * 1000
med = statistics.median(times)
print(json.dumps({"peer": "pytorch", "version": torch.__version__, "threads": torch.get_num_threads(),
                  "size": a.size, "channels": [a.channels_a, a.channels_b], "width": a.width, "blocks": a.blocks,
                  "dwidth": a.dwidth, "dlayers": a.dlayers, "batch": a.batch, "steps": a.steps,
                  "ms_per_step": round(total / a.steps, 2), "ms_per_step_median": round(med, 2),
                  "img_per_s": round(a.batch * 1000 / med, 2), "params": params}))
