"""The legal pages: terms of sale, legal notice, the consumer mediator (EN and FR)."""
