"""Does a larger conditional model reach test -ELBO given the label <= 240 at latent 2? A GPU probe.

A PyTorch re-implementation of the shipped conditional CVAE's recipe (FiLM decoder over random Fourier
features, the class penalty, Adam with cosine decay to a tenth), because the GPU machine it ran on has
PyTorch and no TensorFlow. It is not part of the app, and nothing it trains is shipped: it measures how far
wider layers, residual convolutions, longer training, weight decay and mirrored or shifted images move the
bound, so its figures are a re-implementation's (docs/models.md, "A larger model at latent 2").

    python benchmarks/gpu_capacity_probe.py NAME SECONDS OUTDIR [key=value ...]

trains for SECONDS of wall time (the learning rate decays with elapsed time, so every variant ends its
schedule), then writes OUTDIR/NAME.json and NAME.log: the test -ELBO given the label (8 draws per image),
the classifier's accuracy and the label-free bound (4 draws per class), the exact -log p(x|y) by quadrature
on a uniform grid (spacing `h` and 2h, both kept), and a curve of the test bound (one draw) every 30 s;
and OUTDIR/NAME.npz, 500 prior samples per class and the first 1,000 test images' codes decoded as every
class, for `benchmarks/judge_images.py`. The variants measured, five at a time on one H200:

    replica                                                     (the shipped architecture)
    nopenalty  penalty=0
    bigenc     enc=64,128 enc_units=1024 enc_layers=2
    widedec    dec=128,64 dec_units=1024 dec_layers=2
    wideres    (bigenc and widedec) res=2
    bigenc_wd  (bigenc) wd=0.1;  *_flip  flip=1;  bigenc_flipshift  flip=1 shift=1

Data: the four IDX files of Fashion-MNIST in $VAE_EXPLORER_DATA (default /usr/share/datasets/fashion-mnist).
"""
import gzip
import json
import math
import os
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

DATA = os.environ.get("VAE_EXPLORER_DATA", "/usr/share/datasets/fashion-mnist")


def idx(name, off):
    return np.frombuffer(gzip.open(os.path.join(DATA, name)).read()[off:], np.uint8)


def load():
    xtr = idx("train-images-idx3-ubyte.gz", 16).reshape(-1, 28, 28)
    ytr = idx("train-labels-idx1-ubyte.gz", 8)
    xte = idx("t10k-images-idx3-ubyte.gz", 16).reshape(-1, 28, 28)
    yte = idx("t10k-labels-idx1-ubyte.gz", 8)
    assert xtr.shape == (60000, 28, 28) and xte.shape == (10000, 28, 28)
    return xtr, ytr, xte, yte


class Film(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.scale, self.shift = nn.Linear(10, c), nn.Linear(10, c)

    def forward(self, x, y):
        return F.relu(x + x * self.scale(y)[:, :, None, None] + self.shift(y)[:, :, None, None])


def mlp(d, units, layers):
    out = []
    for _ in range(layers):
        out += [nn.Linear(d, units), nn.ReLU()]
        d = units
    return nn.Sequential(*out), d


class Encoder(nn.Module):
    def __init__(self, filters, units, layers, latent):
        super().__init__()
        convs, c = [], 1
        for f in filters:
            convs += [nn.Conv2d(c, f, 3, 2, 1), nn.ReLU()]
            c = f
        self.convs = nn.Sequential(*convs)
        self.hidden, d = mlp(c * 49 + 10, units, layers)
        self.mean, self.logvar = nn.Linear(d, latent), nn.Linear(d, latent)

    def forward(self, x, y):
        h = self.hidden(torch.cat([self.convs(x).flatten(1), y], 1))
        return self.mean(h), self.logvar(h)


class Decoder(nn.Module):
    def __init__(self, latent, fourier, units, layers, filters, res):
        super().__init__()
        self.register_buffer("B", torch.randn(latent, fourier))
        self.hidden, d = mlp(2 * fourier + latent + 10, units, layers)
        self.f0 = filters[0]
        self.project = nn.Linear(d, 49 * filters[0])
        self.film0 = Film(filters[0])
        self.ups, self.films, self.res = nn.ModuleList(), nn.ModuleList(), nn.ModuleList()
        c = filters[0]
        for f in filters:
            self.ups.append(nn.ConvTranspose2d(c, f, 3, 2, 1, output_padding=1))
            self.films.append(Film(f))
            self.res.append(nn.ModuleList([nn.Conv2d(f, f, 3, 1, 1) for _ in range(res)]))
            c = f
        self.out = nn.Conv2d(c, 1, 3, 1, 1)

    def forward(self, z, y):
        p = z @ self.B
        h = self.hidden(torch.cat([torch.sin(p), torch.cos(p), z, y], 1))
        x = self.film0(self.project(h).view(-1, self.f0, 7, 7), y)
        for up, film, res in zip(self.ups, self.films, self.res):
            x = film(up(x), y)
            for conv in res:
                x = x + F.relu(conv(x))
        return self.out(x)


def reader(latent):
    return nn.Sequential(nn.Linear(latent, 128), nn.ReLU(), nn.Linear(128, 128), nn.ReLU(), nn.Linear(128, 10))


def glorot(m):
    if isinstance(m, (nn.Linear, nn.Conv2d, nn.ConvTranspose2d)):
        nn.init.xavier_uniform_(m.weight)
        nn.init.zeros_(m.bias)


def bce(x, logits):
    return F.binary_cross_entropy_with_logits(logits, x, reduction="none").sum((1, 2, 3))


def kl(mean, logvar):
    return -0.5 * (1 + logvar - mean**2 - logvar.exp()).sum(1)


def sharpness(images):
    """Mean squared difference of neighbouring pixels, down and across averaged."""
    down = (images[..., 1:, :] - images[..., :-1, :]) ** 2
    across = (images[..., :, 1:] - images[..., :, :-1]) ** 2
    return float((down.mean() + across.mean()) / 2)


def as_bytes(images):
    return (images.clamp(0, 1) * 255).round().to(torch.uint8).cpu().numpy()


def main():
    name, budget, outdir = sys.argv[1], float(sys.argv[2]), sys.argv[3]
    cfg = dict(latent=2, enc="32,64", enc_units=512, enc_layers=1, dec="48,16", dec_units=512, dec_layers=1,
               fourier=128, res=0, penalty=10.0, lr=3e-4, batch=128, seed=0, max_epochs=100000,
               limit=0, h=0.04, chunk=8000, flip=0, shift=0, wd=0.0)
    for kv in sys.argv[4:]:
        k, v = kv.split("=")
        cfg[k] = type(cfg[k])(v)
    dev = "cuda" if torch.cuda.is_available() else "cpu"
    torch.manual_seed(cfg["seed"])
    torch.backends.cudnn.benchmark = True
    torch.backends.cuda.matmul.allow_tf32 = True
    torch.backends.cudnn.allow_tf32 = True
    log = open(os.path.join(outdir, f"{name}.log"), "w")

    def say(*a):
        line = f"[{name} {time.time() - t0:6.1f}s] " + " ".join(str(v) for v in a)
        print(line, flush=True)
        log.write(line + "\n")
        log.flush()

    t0 = time.time()
    xtr, ytr, xte, yte = load()
    if cfg["limit"]:
        xtr, ytr, xte, yte = xtr[:cfg["limit"]], ytr[:cfg["limit"]], xte[:cfg["limit"]], yte[:cfg["limit"]]
    Xtr = torch.tensor(xtr, dtype=torch.float32, device=dev).div_(255).unsqueeze(1)
    Ytr = torch.tensor(ytr, dtype=torch.long, device=dev)
    Xte = torch.tensor(xte, dtype=torch.float32, device=dev).div_(255).unsqueeze(1)
    Yte = torch.tensor(yte, dtype=torch.long, device=dev)
    eye = torch.eye(10, device=dev)
    L = cfg["latent"]
    enc = Encoder([int(f) for f in cfg["enc"].split(",")], cfg["enc_units"], cfg["enc_layers"], L).to(dev)
    dec = Decoder(L, cfg["fourier"], cfg["dec_units"], cfg["dec_layers"], [int(f) for f in cfg["dec"].split(",")],
                  cfg["res"]).to(dev)
    rd = reader(L).to(dev)
    for m in (enc, dec, rd):
        m.apply(glorot)
    params = list(enc.parameters()) + list(dec.parameters()) + list(rd.parameters())
    say("config", json.dumps(cfg), "params enc", sum(p.numel() for p in enc.parameters()),
        "dec", sum(p.numel() for p in dec.parameters()))
    opt = torch.optim.AdamW(params, lr=cfg["lr"], eps=1e-7, weight_decay=cfg["wd"])
    w = cfg["penalty"]

    def step(x, y):
        yo = eye[y]
        if cfg["flip"]:  # left-right mirror half the batch: a garment's class does not change with it
            x = torch.where(torch.rand(len(x), 1, 1, 1, device=dev) < 0.5, x.flip(3), x)
        if cfg["shift"]:
            dy, dx = (int(v) for v in torch.randint(-cfg["shift"], cfg["shift"] + 1, (2,)))
            x = torch.roll(x, (dy, dx), (2, 3))
        mean, logvar = enc(x, yo)
        z = mean + (0.5 * logvar).exp() * torch.randn_like(mean)
        ce, k = bce(x, dec(z, yo)), kl(mean, logvar)
        loss = ce.mean() + k.mean()
        if w:
            rev = (1 + w) * mean.detach() - w * mean  # reversed gradient into the encoder
            loss = loss + F.cross_entropy(rd(rev), y)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        return ce.mean().detach(), k.mean().detach()

    @torch.no_grad()
    def scores(X, Y, samples=1):
        """-ELBO of each image under its label (mean over `samples` draws), its ce and kl."""
        tot, ces, kls = [], [], []
        for i in range(0, len(X), 2000):
            x, yo = X[i:i + 2000], eye[Y[i:i + 2000]]
            mean, logvar = enc(x, yo)
            k = kl(mean, logvar)
            ce = torch.stack([bce(x, dec(mean + (0.5 * logvar).exp() * torch.randn_like(mean), yo))
                              for _ in range(samples)]).mean(0)
            tot.append(ce + k), ces.append(ce), kls.append(k)
        return torch.cat(tot), torch.cat(ces), torch.cat(kls)

    n, bs, epoch, curve = len(Xtr), cfg["batch"], 0, []
    start = time.time()
    last = start
    while time.time() - start < budget and epoch < cfg["max_epochs"]:
        enc.train(), dec.train()
        perm = torch.randperm(n, device=dev)
        sce = sk = 0.0
        for i in range(0, n, bs):
            frac = min(1.0, (time.time() - start) / budget)
            for g in opt.param_groups:
                g["lr"] = cfg["lr"] * (0.9 * 0.5 * (1 + math.cos(math.pi * frac)) + 0.1)
            b = perm[i:i + bs]
            ce, k = step(Xtr[b], Ytr[b])
            sce, sk = sce + ce, sk + k
        epoch += 1
        steps = math.ceil(n / bs)
        if time.time() - last > 30 or epoch == 1:
            last = time.time()
            t, _, _ = scores(Xte, Yte)
            curve.append((epoch, round(time.time() - start, 1), float(sce / steps + sk / steps), float(t.mean())))
            say(f"epoch {epoch} train {float(sce / steps):.2f}+{float(sk / steps):.2f}",
                f"test -ELBO|y {float(t.mean()):.2f}")
    train_s = time.time() - start
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    enc.eval(), dec.eval()
    res = {"name": name, "config": cfg, "epochs": epoch, "train_s": round(train_s, 1), "curve": curve}
    t, ce, k = scores(Xte, Yte, samples=8)
    res.update(elbo_given_label=float(t.mean()), ce=float(ce.mean()), kl=float(k.mean()),
               elbo_se=float(t.std() / math.sqrt(len(t))))
    # Every class's -ELBO (one-sample draws averaged over 4): classifier and label-free bound.
    with torch.no_grad():
        per = torch.stack([scores(Xte, torch.full_like(Yte, c), samples=4)[0] for c in range(10)], 1)
        res["classification_accuracy"] = float((per.argmin(1) == Yte).float().mean())
        res["label_free"] = float((-(torch.logsumexp(-per, 1) - math.log(10))).mean())
        # Exact -log p(x|y) by quadrature on a uniform grid over [-5, 5]^2, at two spacings.
        exact = {}
        H = cfg["h"]
        for h in (2 * H, H):
            g = torch.arange(-5, 5 + 1e-9, h, device=dev)
            Z = torch.cartesian_prod(g, g)
            logprior = -0.5 * (Z**2).sum(1) - math.log(2 * math.pi) + 2 * math.log(h)
            nll = torch.empty(len(Xte), device=dev, dtype=torch.float64)
            for c in range(10):
                rows = (Yte == c).nonzero().squeeze(1)
                X = Xte[rows].flatten(1)
                acc = torch.full((len(rows),), -float("inf"), device=dev, dtype=torch.float64)
                for j in range(0, len(Z), cfg["chunk"]):
                    zc = Z[j:j + cfg["chunk"]]
                    lg = dec(zc, eye[torch.full((len(zc),), c, device=dev)]).flatten(1)
                    ll = X @ lg.T - F.softplus(lg).sum(1)[None]  # log p(x|z, y), (images, grid)
                    acc = torch.logaddexp(acc, torch.logsumexp((ll + logprior[j:j + cfg["chunk"]][None]).double(), 1))
                nll[rows] = -acc
            exact[h] = nll
        res["exact"] = float(exact[H].mean())
        res["exact_se"] = float(exact[H].std() / math.sqrt(len(Xte)))
        res["quadrature_change_mean"] = float((exact[H] - exact[2 * H]).mean())
        res["quadrature_change_max"] = float((exact[H] - exact[2 * H]).abs().max())
        res["exact_per_class"] = [float(exact[H][Yte == c].mean()) for c in range(10)]
        # Images for the judges: 500 prior samples per class; the first 1000 test images' codes decoded as every class.
        NT = min(1000, len(Xte))
        gen = torch.Generator(device=dev).manual_seed(1)
        zs = torch.randn(500, L, device=dev, generator=gen)
        samples = torch.stack([torch.sigmoid(dec(zs, eye[torch.full((500,), c, device=dev)]))[:, 0]
                               for c in range(10)])
        mean, _ = enc(Xte[:NT], eye[Yte[:NT]])
        transfers = torch.stack([torch.sigmoid(dec(mean, eye[torch.full((NT,), c, device=dev)]))[:, 0]
                                 for c in range(10)])
        recon = transfers[Yte[:NT], torch.arange(NT, device=dev)]
        res["sharpness_reconstructions"] = sharpness(recon)
        res["sharpness_real"] = sharpness(Xte[:NT, 0])
        np.savez_compressed(os.path.join(outdir, f"{name}.npz"),
                            samples=as_bytes(samples), transfers=as_bytes(transfers))
    say("result", json.dumps({k: v for k, v in res.items() if k != "curve"}))
    json.dump(res, open(os.path.join(outdir, f"{name}.json"), "w"), indent=1)


if __name__ == "__main__":
    main()
