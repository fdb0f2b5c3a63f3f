"""Our model's compiled step under plain `model.fit`, without the trainer around it: a probe for what
precision, steps_per_execution, batch size and thread settings do to raw throughput.

    .venv/bin/python benchmarks/fit_only.py VARIANT

VARIANT joins parts with "-": same (keras-io architecture) or default (the app's model), then any of
bf16 (mixed_bfloat16), xla (jit_compile), spe8 (steps_per_execution=8), bs256 (batch 256), t1 (one inter-op thread).
12,800 training images, 4 epochs; prints the epoch times, images/s (median of epochs 2-4) and the
total_loss on 2,000 test images, as one JSON line.
"""
import os, sys, time, json
os.environ["TF_CPP_MIN_LOG_LEVEL"]="3"
variant = sys.argv[1] if len(sys.argv) > 1 else "same"
import keras, tensorflow as tf, numpy as np
if "bf16" in variant:
    keras.mixed_precision.set_global_policy("mixed_bfloat16")
if "t1" in variant:
    tf.config.threading.set_inter_op_parallelism_threads(1)
from vae_explorer.config import ModelConfig
from vae_explorer.ml.data import load_fashion_mnist
from vae_explorer.ml.trainer import make_train_dataset
from vae_explorer.ml.model import build_cvae
from training_reference import keras_io_architecture  # a sibling script: its folder is on sys.path
data = load_fashion_mnist()
n = 12800
imgs = data.train_images[:n]
cfg = keras_io_architecture() if "same" in variant else ModelConfig()
keras.utils.set_random_seed(0)
m = build_cvae(cfg)
parts = variant.split("-")
spe = next((int(p[3:]) for p in parts if p.startswith("spe")), 1)
bs = next((int(p[2:]) for p in parts if p.startswith("bs")), 128)
m.compile(optimizer=keras.optimizers.Adam(1e-3), steps_per_execution=spe, jit_compile="xla" in variant)
ds = make_train_dataset(imgs, bs, 0)
times=[]
class T(keras.callbacks.Callback):
    def on_epoch_begin(s,e,l=None): s.t=time.perf_counter()
    def on_epoch_end(s,e,l=None): times.append(time.perf_counter()-s.t)
m.fit(ds, epochs=4, verbose=0, callbacks=[T()])
ev = m.evaluate(tf.data.Dataset.from_tensor_slices(data.test_images[:2000]).batch(1000), verbose=0, return_dict=True)
print(json.dumps({"variant":variant,"epoch_s":[round(t,3) for t in times],"img_s":round(n/np.median(times[1:])),"val":round(float(ev["total_loss"]),2)}))
