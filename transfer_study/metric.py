"""The study's summary metric, exactly: the mean of a network's 10 best
validation top-1 accuracies, truncated to 5 decimals as Table S1 prints it.

    from transfer_study import caffelog, metric
    metric.truncate5(metric.top10_mean(caffelog.parse_run('results/half0A')))
"""
from decimal import ROUND_DOWN, Decimal, localcontext


def logged(x):
    """The decimal a log printed, from the float it was parsed into.

    Caffe prints accuracies with at most 6 significant digits (2014 and 1.0
    alike); a decimal of up to 15 significant digits survives float() and
    comes back unchanged from repr(), Python's shortest round-trip form."""
    if isinstance(x, Decimal):
        return x
    return Decimal(repr(float(x)))


def top10_mean(run, k=10):
    """The paper's summary metric: mean of the k highest test top-1 accuracies
    over a run's test passes (all of them when fewer); None without tests.

    Exact: the accuracies as logged are summed as decimals, so the mean of
    values such as 0.57631 and 0.57629 is 0.57630 exactly, where a binary
    float mean may give 0.5762999... and lose a unit in the 5th decimal once
    truncated (numpy's mean in the study's notebook could).  Returns a
    Decimal (the exact mean, or for a non-terminating k the quotient cut to
    40 digits, always downwards, so that truncate5 stays exact); float() it
    to plot."""
    accs = list(getattr(run, "test_acc", run))   # a caffelog.Run, or the accuracies
    if not accs:
        return None
    best = [logged(a) for a in sorted(accs, key=float, reverse=True)[:k]]
    with localcontext() as ctx:
        ctx.prec = 40
        ctx.rounding = ROUND_DOWN
        return sum(best, Decimal(0)) / len(best)


def truncate5(x):
    """The value as Table S1 prints it: truncated (not rounded) to 5 decimals.
    Exact for a Decimal (top10_mean's); a float counts as the decimal repr() shows."""
    if x is None:
        return ''
    return str(logged(x).quantize(Decimal('0.00001'), rounding=ROUND_DOWN))
