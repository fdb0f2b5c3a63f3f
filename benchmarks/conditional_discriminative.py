"""A remedy probe for the generative classifier: fine-tune a conditional model with a discriminative term.

    .venv/bin/python benchmarks/conditional_discriminative.py --model models/cvae-fashion-conditional-latent2.keras \
        --weight 1 [--steps 1000] [--sub-batch 32] [--learning-rate 2e-4] [--encoder-too] [--save PATH]

Each step is the model's ELBO loss (summed BCE + KL and its class penalty, 128 training images; not a
`--class-discrimination` term the model was trained with, which this probe's term stands in for) plus `--weight`
times the cross-entropy of the classifier `classify` uses, softmax over classes of -ELBO(x, y), on the
first `--sub-batch` images of the batch scored under all ten classes. By default that term reaches the
decoder only (the encoder's q is held fixed for it), so a gain must come from p(x|y) itself and not from
an encoder that learns to give wrong labels a poor q. The learning rate decays along a cosine to a tenth.
It prints the training-batch accuracy as it goes, then `conditional.py`'s figures on 2,000 test images
(200 samples per class, 20,000 training codes) with its judges. The model file is not changed; `--save` writes the fine-tuned one elsewhere.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np  # noqa: E402

import conditional  # noqa: E402  (this folder's benchmark)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default="models/cvae-fashion-conditional-latent2.keras")
    parser.add_argument("--weight", type=float, default=1.0)
    parser.add_argument("--steps", type=int, default=1000)
    parser.add_argument("--sub-batch", type=int, default=32)
    parser.add_argument("--learning-rate", type=float, default=2e-4)
    parser.add_argument("--encoder-too", action="store_true", help="let the discriminative term reach the encoder")
    parser.add_argument("--save", help="save the fine-tuned model here (with the shipped model's card), e.g. to run "
                                       "conditional.py on it")
    args = parser.parse_args()
    import keras
    import tensorflow as tf

    import vae_explorer
    from vae_explorer.config import NUM_CLASSES
    from vae_explorer.ml.data import load_fashion_mnist
    from vae_explorer.ml.inference import VAE
    from vae_explorer.ml.model import bce_per_image, kl_per_image, to_float_images

    data = load_fashion_mnist(allow_download=False)
    cnns = conditional.judges(data)
    shipped = vae_explorer.load_model(args.model)
    model = shipped.model
    schedule = keras.optimizers.schedules.CosineDecay(args.learning_rate, max(args.steps, 1), alpha=0.1)
    optimizer = keras.optimizers.Adam(schedule)
    sub, every_class = args.sub_batch, tf.eye(NUM_CLASSES)

    @tf.function
    def step(images, labels):
        x, y = to_float_images(images), tf.one_hot(labels, NUM_CLASSES)
        repeated, classes = tf.repeat(x[:sub], NUM_CLASSES, axis=0), tf.tile(every_class, [sub, 1])
        with tf.GradientTape() as tape:
            ce, kl, mean = model._forward(x, y, True)
            elbo = tf.reduce_mean(ce) + tf.reduce_mean(kl)
            loss = elbo + (model.class_penalty_loss(mean, y) if model.class_reader is not None else 0.0)
            mu, logvar = (tf.cast(t, tf.float32) for t in model.encoder([repeated, classes], training=True))
            if not args.encoder_too:
                mu, logvar = tf.stop_gradient(mu), tf.stop_gradient(logvar)
            z = mu + tf.exp(0.5 * logvar) * tf.random.normal(tf.shape(mu))
            logits = tf.cast(model.decoder([z, classes], training=True), tf.float32)
            scores = tf.reshape(bce_per_image(repeated, logits) + kl_per_image(mu, logvar), (sub, NUM_CLASSES))
            discriminative = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels[:sub], -scores))
            loss = loss + args.weight * discriminative
        grads = tape.gradient(loss, model.trainable_weights)
        optimizer.apply_gradients(zip(grads, model.trainable_weights))
        accuracy = tf.reduce_mean(tf.cast(tf.argmin(scores, 1, output_type=tf.int32) == labels[:sub], tf.float32))
        return elbo, discriminative, accuracy

    conditional.fine_tune(lambda images, labels, _rng, _s: step(images, labels), data, args.steps,
                          lambda means: f"training -ELBO {means[0]:.2f}, discriminative {means[1]:.3f}, "
                                        f"batch accuracy {100 * means[2]:.1f} %")
    if args.save:
        from vae_explorer.ml.storage import save_model

        save_model(model, args.save, shipped.card)
        print(f"saved {args.save}", flush=True)
    print(f"weight {args.weight}, {args.steps} steps, sub-batch {sub}, learning rate {args.learning_rate}"
          f"{', encoder too' if args.encoder_too else ''}: {conditional.probe_figures(VAE(model), data, cnns)}")


if __name__ == "__main__":
    main()
