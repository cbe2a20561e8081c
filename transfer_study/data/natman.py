"""The man-made / natural split of the 1000 ILSVRC2012 classes
(supplementary section C).

man-made = classes below WordNet's n00021939 *artifact* (522)
           + the 29 classes the authors placed there by hand
natural  = classes below n00004475 *organism* (410)
           + the 39 classes the authors placed there by hand
(their sizes are the catalog's class counts of halfnatmanB and halfnatmanA)

Naming: the original code called the natural half `halfnatmanA` and the
man-made half `halfnatmanB`, and its lists, logs and results use those names;
so do we.  The paper's text swaps the letters (it calls man-made "A" and
natural "B") -- when comparing with the paper's figures, halfnatmanA here is
the paper's natural "B" task, and halfnatmanB is its man-made "A" task.

The 68 manual decisions are transcribed below from the supplementary
material (with the names it gives); tests/test_wordnet.py checks this
transcription against the seed text.
"""
from transfer_study.data.wordnet import WordNet, WordNetError

ARTIFACT = "n00021939"
ORGANISM = "n00004475"


def study_sizes(cat=None):
    """(natural, man-made) class counts of the study: the catalog's."""
    from transfer_study.nets import catalog
    return (cat or catalog.load()).natman_classes()


MANMADE_MANUAL = (
    "n07697537",  # hotdog, hot dog, red hot
    "n07860988",  # dough
    "n07875152",  # potpie
    "n07583066",  # guacamole
    "n07892512",  # red wine
    "n07614500",  # ice cream, icecream
    "n09229709",  # bubble
    "n07831146",  # carbonara
    "n07565083",  # menu
    "n07871810",  # meat loaf, meatloaf
    "n07693725",  # bagel, beigel
    "n07920052",  # espresso
    "n07590611",  # hot pot, hotpot
    "n07873807",  # pizza, pizza pie
    "n07579787",  # plate
    "n06874185",  # traffic light, traffic signal, stoplight
    "n07836838",  # chocolate sauce, chocolate syrup
    "n15075141",  # toilet tissue, toilet paper, bathroom tissue
    "n07613480",  # trifle
    "n07880968",  # burrito
    "n06794110",  # street sign
    "n07711569",  # mashed potato
    "n07932039",  # eggnog
    "n07695742",  # pretzel
    "n07684084",  # French loaf
    "n07697313",  # cheeseburger
    "n07615774",  # ice lolly, lolly, lollipop, popsicle
    "n07584110",  # consomme
    "n07930864",  # cup
)

NATURAL_MANUAL = (
    "n13133613",  # ear, spike, capitulum
    "n07745940",  # strawberry
    "n07714571",  # head cabbage
    "n09428293",  # seashore, coast, seacoast, sea-coast
    "n07753113",  # fig
    "n07753275",  # pineapple, ananas
    "n07730033",  # cardoon
    "n07749582",  # lemon
    "n07742313",  # Granny Smith
    "n12768682",  # buckeye, horse chestnut, conker
    "n07734744",  # mushroom
    "n09246464",  # cliff, drop, drop-off
    "n11879895",  # rapeseed
    "n07718472",  # cucumber, cuke
    "n09468604",  # valley, vale
    "n07802026",  # hay
    "n09288635",  # geyser
    "n07720875",  # bell pepper
    "n07760859",  # custard apple
    "n07716358",  # zucchini, courgette
    "n09332890",  # lakeside, lakeshore
    "n09193705",  # alp
    "n09399592",  # promontory, headland, head, foreland
    "n07717410",  # acorn squash
    "n07717556",  # butternut squash
    "n07714990",  # broccoli
    "n09256479",  # coral reef
    "n09472597",  # volcano
    "n07747607",  # orange
    "n07716906",  # spaghetti squash
    "n12620546",  # hip, rose hip, rosehip
    "n07768694",  # pomegranate
    "n12267677",  # acorn
    "n12144580",  # corn
    "n07718747",  # artichoke, globe artichoke
    "n07753592",  # banana
    "n09421951",  # sandbar, sand bar
    "n07715103",  # cauliflower
    "n07754684",  # jackfruit, jak, jack
)

class NatManError(WordNetError):
    """The split cannot be made as the study made it."""


def split(wnids, wordnet=None, cat=None):
    """(natural, manmade): two sorted lists of class indices into `wnids`
    (the synsets in label order).  Raises NatManError naming any class
    that lands in both or in neither.

    For the 1000 ILSVRC2012 classes every manual decision must apply and
    the sizes must be the study's (the catalog's).  A smaller set of ILSVRC classes
    (the demo's) gets the same rules restricted to its classes."""
    wn = wordnet or WordNet()
    wn.check_wnids(wnids)
    present = set(wnids)
    manual_m, manual_n = set(MANMADE_MANUAL), set(NATURAL_MANUAL)
    num_natural, num_manmade = study_sizes(cat)
    full = len(wnids) == num_manmade + num_natural
    if full:
        for w in sorted((manual_m | manual_n) - present):
            raise NatManError("manual class %s (supplementary section C) is not in the "
                              "synsets list: these 1000 classes are not ILSVRC2012's" % w)
    manual_m &= present
    manual_n &= present
    manmade = set(wn.descendants(ARTIFACT, wnids)) | manual_m
    natural = set(wn.descendants(ORGANISM, wnids)) | manual_n
    both = sorted(manmade & natural)
    if both:
        raise NatManError("class(es) both man-made and natural: %s" % " ".join(both))
    neither = [w for w in wnids if w not in manmade and w not in natural]
    if neither:
        raise NatManError("class(es) neither man-made nor natural (not under artifact or "
                          "organism and not among the 68 manual decisions): %s"
                          % " ".join("%s (%s)" % (w, wn.name(w[1:])) for w in neither))
    if full and (len(manmade) != num_manmade or len(natural) != num_natural):
        raise NatManError("man-made/natural sizes %d/%d, the study's are %d/%d"
                          % (len(manmade), len(natural), num_manmade, num_natural))
    index = dict((w, i) for i, w in enumerate(wnids))
    return sorted(index[w] for w in natural), sorted(index[w] for w in manmade)
