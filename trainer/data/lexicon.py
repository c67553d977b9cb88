"""Surface forms of every slot value in English and Chinese: the tables the corpus generator draws from.

Tables only. Keys are slot values of models.schema.VALUES (the tests check that every value has forms),
so a value added to the taxonomy without surface forms fails a test instead of silently never appearing.

English forms come in three kinds, because word order decides which one fits:
  adj  - goes before the garment noun and after "make it" ("striped", "long-sleeved");
  noun - stands alone or after a preposition the realiser adds ("stripes", "long sleeves");
  post - a complete phrase placed after the noun ("that hits the knee").
Chinese forms are bare; the realiser adds 的 and measure words.
"""

from __future__ import annotations

from models.schema import COLOR_NAMES

# ---------------------------------------------------------------- garments
# Plain nouns name only a category; compounds below imply more slots ("jeans" = denim trousers).
CATEGORY_EN: dict[str, tuple[str, ...]] = {
    "tshirt": ("t-shirt", "tee", "tshirt", "t shirt", "tee shirt", "T-shirt", "tee-shirt"),
    "shirt": ("shirt", "button-down", "button-up", "button-down shirt", "button-up shirt", "dress shirt",
              "oxford shirt"),
    "polo": ("polo", "polo shirt", "polo tee"),
    "blouse": ("blouse", "peasant blouse", "wrap blouse"),
    "sweater": ("sweater", "jumper", "pullover", "cardigan", "cardi", "pullover sweater"),
    "hoodie": ("hoodie", "hoody", "hooded sweatshirt", "zip-up hoodie", "zip hoodie", "pullover hoodie"),
    "jacket": ("jacket", "bomber jacket", "bomber", "windbreaker", "biker jacket", "moto jacket", "track jacket"),
    "coat": ("coat", "trench coat", "trench", "parka", "overcoat", "peacoat", "puffer coat", "down coat",
             "raincoat", "topcoat"),
    "blazer": ("blazer", "suit jacket", "sport coat", "sports jacket"),
    "dress": ("dress", "gown", "sundress", "shirt dress", "wrap dress", "sweater dress", "frock",
              "cocktail dress", "t-shirt dress"),
    "skirt": ("skirt", "pleated skirt", "a-line skirt", "pencil skirt", "wrap skirt"),
    "trousers": ("trousers", "pants", "chinos", "slacks", "joggers", "sweatpants", "cargo pants", "dress pants"),
    "shorts": ("shorts", "bermuda shorts", "bermudas", "cargo shorts", "board shorts"),
}

CATEGORY_ZH: dict[str, tuple[str, ...]] = {
    "tshirt": ("T恤", "t恤", "T恤衫", "短T", "体恤"),
    "shirt": ("衬衫", "衬衣", "正装衬衫"),
    "polo": ("polo衫", "POLO衫", "Polo衫", "保罗衫"),
    "blouse": ("女衬衫", "女式衬衫", "罩衫", "女士衬衫"),
    "sweater": ("毛衣", "开衫", "针织衫", "毛线衣", "套头衫"),
    "hoodie": ("卫衣", "连帽衫", "连帽卫衣", "帽衫"),
    "jacket": ("夹克", "夹克衫", "飞行员夹克", "棒球服", "冲锋衣"),
    "coat": ("大衣", "风衣", "羽绒服", "派克大衣"),
    "blazer": ("西装", "西服", "西装外套", "小西装"),
    "dress": ("连衣裙", "洋装", "衬衫裙", "T恤裙", "毛衣裙", "礼服裙"),
    "skirt": ("半身裙", "半裙", "裙子", "A字裙", "百褶裙", "伞裙"),
    "trousers": ("裤子", "长裤", "西裤", "休闲裤", "运动裤", "工装裤", "直筒裤"),
    "shorts": ("短裤", "热裤", "沙滩裤", "运动短裤"),
}

COMPOUND_EN: dict[str, dict[str, str]] = {
    "jeans": {"category": "trousers", "material": "denim"},
    "jean shorts": {"category": "shorts", "material": "denim"},
    "jorts": {"category": "shorts", "material": "denim"},
    "jean jacket": {"category": "jacket", "material": "denim"},
    "tank top": {"category": "tshirt", "sleeve": "sleeveless"},
    "tank": {"category": "tshirt", "sleeve": "sleeveless"},
    "miniskirt": {"category": "skirt", "length": "short"},
    "mini-skirt": {"category": "skirt", "length": "short"},
    "minidress": {"category": "dress", "length": "short"},
    "slip dress": {"category": "dress", "sleeve": "sleeveless"},
    "graphic tee": {"category": "tshirt", "pattern": "graphic"},
    "logo tee": {"category": "tshirt", "pattern": "graphic"},
    "capris": {"category": "trousers", "length": "midi"},
    "capri pants": {"category": "trousers", "length": "midi"},
    "leather jacket": {"category": "jacket", "material": "leather"},
    "turtleneck sweater": {"category": "sweater", "neckline": "turtleneck"},
    "v-neck sweater": {"category": "sweater", "neckline": "v_neck"},
    "maxi dress": {"category": "dress", "length": "long"},
    "maxi skirt": {"category": "skirt", "length": "long"},
    "midi skirt": {"category": "skirt", "length": "midi"},
    "skinny jeans": {"category": "trousers", "material": "denim", "fit": "slim"},
    "wide-leg pants": {"category": "trousers", "fit": "loose"},
    "wide-leg trousers": {"category": "trousers", "fit": "loose"},
    "knitted cardigan": {"category": "sweater", "material": "knit"},
    "silk blouse": {"category": "blouse", "material": "silk"},
    "denim skirt": {"category": "skirt", "material": "denim"},
}

COMPOUND_ZH: dict[str, dict[str, str]] = {
    "牛仔裤": {"category": "trousers", "material": "denim"},
    "牛仔短裤": {"category": "shorts", "material": "denim"},
    "背心": {"category": "tshirt", "sleeve": "sleeveless"},
    "无袖背心": {"category": "tshirt", "sleeve": "sleeveless"},
    "吊带裙": {"category": "dress", "sleeve": "sleeveless"},
    "吊带连衣裙": {"category": "dress", "sleeve": "sleeveless"},
    "背心裙": {"category": "dress", "sleeve": "sleeveless"},
    "短裙": {"category": "skirt", "length": "short"},
    "迷你裙": {"category": "skirt", "length": "short"},
    "长裙": {"category": "skirt", "length": "long"},
    "中长裙": {"category": "skirt", "length": "midi"},
    "皮衣": {"category": "jacket", "material": "leather"},
    "皮夹克": {"category": "jacket", "material": "leather"},
    "皮裙": {"category": "skirt", "material": "leather"},
    "皮裤": {"category": "trousers", "material": "leather"},
    "雪纺衫": {"category": "blouse", "material": "chiffon"},
    "羊毛衫": {"category": "sweater", "material": "wool"},
    "阔腿裤": {"category": "trousers", "fit": "loose"},
    "小脚裤": {"category": "trousers", "fit": "slim"},
    "紧身裤": {"category": "trousers", "fit": "slim"},
    "九分裤": {"category": "trousers", "length": "midi"},
    "七分裤": {"category": "trousers", "length": "midi"},
    "高领毛衣": {"category": "sweater", "neckline": "turtleneck"},
    "印花T恤": {"category": "tshirt", "pattern": "graphic"},
    "长袖T恤": {"category": "tshirt", "sleeve": "long"},
    "短袖衬衫": {"category": "shirt", "sleeve": "short"},
    "真丝衬衫": {"category": "shirt", "material": "silk"},
    "毛呢大衣": {"category": "coat", "material": "wool"},
    "长款大衣": {"category": "coat", "length": "long"},
}

# Chinese counts garments with a measure word: 一件T恤, 一条裙子. The first is the usual one.
MEASURE_ZH: dict[str, tuple[str, ...]] = {
    "dress": ("条", "件"), "skirt": ("条",), "trousers": ("条",), "shorts": ("条",), "blazer": ("件", "套"),
}
DEFAULT_MEASURE_ZH = ("件",)

# ---------------------------------------------------------------- colours
# Extra names beyond schema.COLOR_NAMES; both are used.
_COLOR_EN_EXTRA: dict[str, tuple[str, ...]] = {
    "black": ("jet black", "pitch black"), "white": ("off white", "snow white", "bright white"),
    "gray": ("charcoal", "heather grey"), "beige": ("sand-colored", "nude-colored"),
    "brown": ("mocha", "chestnut", "espresso"), "khaki": ("tan-colored",),
    "olive": ("olive green", "army-green"), "green": ("kelly green", "forest green", "emerald green", "bottle green"),
    "teal": ("petrol blue",), "navy": ("navy blue", "dark navy"), "blue": ("cobalt blue", "electric blue"),
    "light_blue": ("pale blue", "powder blue", "light-blue"), "purple": ("deep purple",),
    "lavender": ("lilac purple",), "pink": ("hot pink", "baby pink", "blush pink"),
    "red": ("cherry red", "bright red", "fire-engine red"), "burgundy": ("wine red", "oxblood", "bordeaux"),
    "orange": ("bright orange", "burnt orange"), "coral": ("coral pink",),
    "yellow": ("lemon yellow", "canary yellow", "bright yellow"), "mustard": ("mustard yellow",),
    "cream": ("ecru", "creamy white"), "mint": ("mint green",), "gold": ("metallic gold", "gold-colored"),
}
_COLOR_ZH_EXTRA: dict[str, tuple[str, ...]] = {
    "black": ("黑",), "white": ("白",), "gray": ("灰", "烟灰色"), "beige": ("裸色",),
    "brown": ("咖色", "棕", "巧克力色"), "khaki": ("卡其",), "olive": ("军绿色", "橄榄色"),
    "green": ("绿", "翠绿色", "草绿色"), "teal": ("孔雀蓝色",), "navy": ("藏青色", "藏蓝色"),
    "blue": ("蓝", "宝蓝", "宝蓝色", "钴蓝"), "light_blue": ("浅蓝色", "天蓝色", "淡蓝色"),
    "purple": ("紫",), "lavender": ("淡紫色", "薰衣草色", "香芋紫"), "pink": ("粉", "粉红色", "粉红"),
    "red": ("红", "大红", "正红色"), "burgundy": ("酒红色", "枣红色"), "orange": ("橘色", "橙"),
    "coral": ("蜜桃色",), "yellow": ("黄", "柠檬黄", "明黄色"), "mustard": ("姜黄色", "芥末黄色"),
    "cream": ("奶白色", "象牙白", "米白色"), "mint": ("薄荷色", "薄荷绿色"), "gold": ("金",),
}
COLOR_EN: dict[str, tuple[str, ...]] = {c: COLOR_NAMES[c]["en"] + _COLOR_EN_EXTRA.get(c, ()) for c in COLOR_NAMES}
COLOR_ZH: dict[str, tuple[str, ...]] = {c: COLOR_NAMES[c]["zh"] + _COLOR_ZH_EXTRA.get(c, ()) for c in COLOR_NAMES}

# One-character colours, for the compact two-colour words Chinese uses: 黑白条纹, 红底白点.
COLOR_ZH_SHORT: dict[str, str] = {
    "black": "黑", "white": "白", "gray": "灰", "brown": "棕", "green": "绿", "blue": "蓝", "purple": "紫",
    "pink": "粉", "red": "红", "orange": "橙", "yellow": "黄", "navy": "藏青", "khaki": "卡其",
}

# ---------------------------------------------------------------- attributes, English
EN_FORMS: dict[str, dict[str, dict[str, tuple[str, ...]]]] = {
    "pattern": {
        "solid": {"adj": ("plain", "solid", "solid-color", "solid-colour", "solid colored", "plain-colored"),
                  "noun": ("a solid color", "a solid colour", "a plain color"),
                  "post": ("with no pattern", "without any pattern", "in a plain colour")},
        "striped": {"adj": ("striped", "stripy", "stripe", "pinstripe", "pinstriped", "pin-striped"),
                    "noun": ("stripes", "pinstripes", "horizontal stripes", "vertical stripes", "thin stripes",
                             "a stripe pattern")},
        "plaid": {"adj": ("plaid", "checked", "tartan", "checkered", "gingham", "check"),
                  "noun": ("plaid", "tartan", "checks", "a check pattern", "gingham", "a plaid pattern")},
        "polka_dot": {"adj": ("polka-dot", "polka dot", "spotted", "dotted", "polka-dotted", "dotty"),
                      "noun": ("polka dots", "dots", "spots", "little dots", "polka-dots")},
        "floral": {"adj": ("floral", "flowery", "flower-print", "floral-print", "flowered"),
                   "noun": ("flowers", "a floral print", "floral print", "florals", "a flower pattern",
                            "a floral pattern")},
        "graphic": {"adj": ("graphic", "printed", "logo", "logo-print", "graphic-print"),
                    "noun": ("a logo print", "logo print", "a graphic", "a logo", "a graphic print",
                             "a print on the front")},
        "color_block": {"adj": ("color-block", "colour-block", "colorblock", "color-blocked", "colour-blocked"),
                        "noun": ("color blocking", "colour blocking", "color block", "colour blocks")},
    },
    "material": {
        "cotton": {"adj": ("cotton", "100% cotton", "pure cotton", "organic cotton"),
                   "noun": ("cotton", "pure cotton", "100% cotton")},
        "denim": {"adj": ("denim", "washed denim"), "noun": ("denim",)},
        "leather": {"adj": ("leather", "faux leather", "vegan leather", "faux-leather", "genuine leather"),
                    "noun": ("leather", "faux leather", "real leather")},
        "knit": {"adj": ("knit", "knitted", "cable-knit", "cable knit", "chunky knit"),
                 "noun": ("knit", "a knit", "knit fabric", "a chunky knit")},
        "chiffon": {"adj": ("chiffon", "sheer chiffon"), "noun": ("chiffon",)},
        "silk": {"adj": ("silk", "satin", "pure silk", "silk satin", "mulberry silk"),
                 "noun": ("silk", "satin", "pure silk")},
        "linen": {"adj": ("linen", "pure linen", "washed linen"), "noun": ("linen",)},
        "wool": {"adj": ("wool", "woolen", "woollen", "merino", "merino wool", "lambswool"),
                 "noun": ("wool", "merino wool", "lambswool")},
    },
    "sleeve": {
        "sleeveless": {"adj": ("sleeveless",), "noun": ("no sleeves", "no sleeve"),
                       "post": ("without sleeves", "with no sleeves")},
        "short": {"adj": ("short-sleeved", "short-sleeve", "short sleeve", "short sleeved", "cap-sleeve"),
                  "noun": ("short sleeves", "short sleeve", "cap sleeves")},
        "medium": {"adj": ("three-quarter-sleeve", "3/4-sleeve", "3/4 sleeve", "elbow-sleeve", "mid-sleeve"),
                   "noun": ("three-quarter sleeves", "3/4 sleeves", "elbow-length sleeves", "elbow sleeves",
                            "mid-length sleeves", "medium sleeves", "medium-length sleeves"),
                   "post": ("with sleeves to the elbow",)},
        "long": {"adj": ("long-sleeved", "long-sleeve", "long sleeve", "long sleeved", "longsleeve"),
                 "noun": ("long sleeves", "long sleeve", "full sleeves")},
    },
    "neckline": {
        "round": {"adj": ("crew-neck", "crew neck", "crewneck", "round-neck", "round neck", "round-necked"),
                  "noun": ("a crew neck", "a round neck", "a round neckline", "a crewneck", "crew neck")},
        "v_neck": {"adj": ("v-neck", "v neck", "vneck", "V-neck", "v-necked"),
                   "noun": ("a v-neck", "a V neckline", "a v-neckline", "a v neck", "v-neck")},
        "square": {"adj": ("square-neck", "square neck", "square-necked"),
                   "noun": ("a square neckline", "a square neck", "square neck")},
        "collared": {"adj": ("collared",), "noun": ("a collar", "a polo collar", "a shirt collar", "a proper collar")},
        "turtleneck": {"adj": ("turtleneck", "turtle-neck", "turtle neck", "mock-neck", "mock neck", "high-neck",
                               "roll-neck", "rollneck"),
                       "noun": ("a turtleneck collar", "a mock neck", "a high neck", "a roll neck",
                                "a turtleneck neckline")},
        "off_shoulder": {"adj": ("off-the-shoulder", "off-shoulder", "off the shoulder", "bardot", "off shoulder"),
                         "noun": ("an off-shoulder neckline", "an off-the-shoulder neckline", "a bardot neckline",
                                  "off the shoulder"),
                         "post": ("that sits off the shoulder",)},
    },
    "length": {
        "short": {"adj": ("mini", "short", "above-the-knee", "thigh-length"),
                  "noun": ("a mini length", "mini length", "mini"),
                  "post": ("above the knee", "that stops above the knee")},
        "knee": {"adj": ("knee-length", "knee length"), "noun": ("knee length", "knee-length", "a knee length"),
                 "post": ("to the knee", "that hits the knee", "down to the knee", "at knee length")},
        "midi": {"adj": ("midi", "mid-calf", "mid-length", "tea-length", "mid-calf length"),
                 "noun": ("midi length", "a midi length", "midi", "mid-calf length"),
                 "post": ("to mid-calf", "down to mid-calf", "that hits mid-calf")},
        "long": {"adj": ("maxi", "long", "full-length", "floor-length", "ankle-length"),
                 "noun": ("maxi length", "floor length", "full length", "maxi", "a maxi length"),
                 "post": ("to the floor", "down to the ankles", "to the ankles", "that touches the floor")},
    },
    "fit": {
        "slim": {"adj": ("slim", "slim-fit", "slim fit", "fitted", "tight", "form-fitting", "figure-hugging",
                         "tight-fitting"),
                 "noun": ("a slim fit", "slim fit", "a fitted cut", "a tight fit"),
                 "post": ("that's fitted",)},
        "regular": {"adj": ("regular-fit", "regular fit", "classic-fit", "classic fit", "standard-fit", "normal-fit"),
                    "noun": ("a regular fit", "regular fit", "a classic fit", "a standard fit", "a normal fit")},
        "loose": {"adj": ("loose", "relaxed", "oversized", "oversize", "baggy", "loose-fitting", "relaxed-fit",
                          "boxy", "slouchy"),
                  "noun": ("a loose fit", "a relaxed fit", "an oversized fit", "a baggy fit", "oversized fit")},
    },
    "size": {
        "xs": {"adj": ("XS", "extra-small", "extra small"),
               "noun": ("XS", "size XS", "an XS", "extra small", "an extra small", "size extra small", "xs"),
               "post": ("size: XS",)},
        "s": {"adj": ("small",), "noun": ("S", "size S", "a small", "small", "size small", "size s"),
              "post": ("size: S",)},
        "m": {"adj": ("medium",), "noun": ("M", "size M", "a medium", "medium", "size medium", "size m"),
              "post": ("size: M",)},
        "l": {"adj": ("large",), "noun": ("L", "size L", "a large", "large", "size large", "size l"),
              "post": ("size: L",)},
        "xl": {"adj": ("XL", "extra-large", "extra large"),
               "noun": ("XL", "size XL", "an XL", "extra large", "an extra large", "size extra large", "x-large"),
               "post": ("size: XL",)},
        "xxl": {"adj": ("XXL", "2XL"),
                "noun": ("XXL", "2XL", "size XXL", "size 2XL", "a 2XL", "an XXL", "double XL", "xx-large"),
                "post": ("size: XXL", "size: 2XL")},
    },
}

# Prepositions that turn a noun form into a phrase after the garment ("a dress" + "with" + "long sleeves").
EN_PREPOSITIONS: dict[str, tuple[str, ...]] = {
    "color": ("in",), "pattern": ("with", "in", "w/"), "material": ("in", "made of", "made from"),
    "sleeve": ("with", "with", "with", "w/"), "neckline": ("with", "with", "w/"),
    "length": ("in",), "fit": ("in", "with"), "size": ("in", ","),
}

# Comparatives only make sense as a change ("make it looser"); used by modify utterances alone.
EN_MODIFY_ONLY: dict[str, dict[str, tuple[str, ...]]] = {
    "fit": {"loose": ("looser", "more relaxed", "baggier", "roomier"), "slim": ("tighter", "more fitted", "slimmer")},
}

# Forms that only fit some garments; None stands for "no garment named" (a modify utterance).
# Everything not listed here fits every garment that may carry the slot.
_LENGTH_GARMENTS = frozenset({"dress", "skirt", "coat", None})
EN_RESTRICTED: dict[str, frozenset] = {
    **{form: _LENGTH_GARMENTS for kinds in EN_FORMS["length"].values() for forms in kinds.values() for form in forms},
    "short": frozenset({"dress", "skirt", "coat"}),  # bare "short"/"long" could mean the sleeves
    "long": frozenset({"dress", "skirt", "coat"}),
    "skinny": frozenset({"trousers", None}), "wide-leg": frozenset({"trousers", None}),
    "wide leg": frozenset({"trousers"}), "bodycon": frozenset({"dress", "skirt", None}),
    "cropped": frozenset({"trousers"}), "capri": frozenset({"trousers"}),
    "full-length": frozenset({"dress", "skirt", "coat", "trousers", None}),
}
# Forms for one garment beyond the generic table: slot -> value -> category -> forms.
EN_GARMENT_EXTRA: dict[str, dict[str, dict[str, tuple[str, ...]]]] = {
    "fit": {"slim": {"trousers": ("skinny",), "dress": ("bodycon",), "skirt": ("bodycon",)},
            "loose": {"trousers": ("wide-leg", "wide leg")}},
    "length": {"midi": {"trousers": ("cropped", "capri")}, "long": {"trousers": ("full-length",)}},
}

# ---------------------------------------------------------------- attributes, Chinese
ZH_FORMS: dict[str, dict[str, tuple[str, ...]]] = {
    "pattern": {
        "solid": ("纯色", "素色", "净色", "无图案"),
        "striped": ("条纹", "竖条纹", "横条纹", "细条纹", "条纹款"),
        "plaid": ("格子", "格纹", "苏格兰格", "格子纹"),
        "polka_dot": ("波点", "圆点", "波点款", "水玉点"),
        "floral": ("碎花", "小碎花", "花卉", "花朵图案"),
        "graphic": ("印花", "字母印花", "卡通印花", "大logo", "logo印花"),
        "color_block": ("撞色", "拼色", "撞色拼接"),
    },
    "material": {
        "cotton": ("纯棉", "棉", "棉质", "全棉"), "denim": ("牛仔",), "leather": ("真皮", "皮", "皮质", "PU皮"),
        "knit": ("针织",), "chiffon": ("雪纺",), "silk": ("丝绸", "真丝", "缎面", "桑蚕丝"),
        "linen": ("亚麻",), "wool": ("羊毛", "毛呢", "毛料"),
    },
    "sleeve": {
        "sleeveless": ("无袖", "没有袖子的", "不要袖子的", "无袖款"), "short": ("短袖",),
        "medium": ("中袖", "七分袖", "五分袖"), "long": ("长袖",),
    },
    "neckline": {
        "round": ("圆领",), "v_neck": ("V领", "v领", "V字领"), "square": ("方领",),
        "collared": ("翻领", "有领子的", "带领子的", "衬衫领", "polo领"),
        "turtleneck": ("高领", "半高领", "樽领"), "off_shoulder": ("一字肩", "一字领", "露肩"),
    },
    "length": {
        "short": ("短款", "超短", "迷你"), "knee": ("及膝", "到膝盖的", "齐膝"),
        "midi": ("中长款", "中长", "到小腿的"), "long": ("长款", "及踝", "拖地", "到脚踝的"),
    },
    "fit": {"slim": ("修身", "紧身", "贴身"), "regular": ("常规", "常规款", "标准版型", "正常版型"),
            "loose": ("宽松", "oversize", "宽松版", "宽松款")},
    "size": {
        "xs": ("XS码", "XS号", "XS", "加小码", "特小号", "超小号"), "s": ("S码", "S号", "小号", "S"),
        "m": ("M码", "M号", "中号", "M", "中码"), "l": ("L码", "L号", "大号", "L"),
        "xl": ("XL码", "XL号", "加大码", "加大号", "XL", "加大"),
        "xxl": ("XXL码", "2XL", "XXL", "2XL码", "加加大", "加加大码", "XXL号"),
    },
}

ZH_MODIFY_ONLY: dict[str, dict[str, tuple[str, ...]]] = {
    "fit": {"loose": ("宽松一点", "宽松点", "松一点", "更宽松"), "slim": ("修身一点", "紧一点", "更修身")},
}
ZH_RESTRICTED: dict[str, frozenset] = {
    **{form: _LENGTH_GARMENTS for forms in ZH_FORMS["length"].values() for form in forms},
    "拖地": frozenset({"dress", "skirt", "coat", "trousers", None}),
    "七分": frozenset({"trousers"}), "九分": frozenset({"trousers"}),  # alone, 七分 could mean the sleeves
    "阔腿": frozenset({"trousers", None}), "小脚": frozenset({"trousers"}),
}
ZH_GARMENT_EXTRA: dict[str, dict[str, dict[str, tuple[str, ...]]]] = {
    "fit": {"slim": {"trousers": ("小脚",)}, "loose": {"trousers": ("阔腿",)}},
    "length": {"midi": {"trousers": ("七分", "九分")}, "long": {"trousers": ("拖地",)}},
}

# ---------------------------------------------------------------- two colours on one garment
# Nouns for "navy and white stripes" / "red with white polka dots"; solid has none (two colours are not solid).
TWO_COLOUR_EN: dict[str, tuple[str, ...]] = {
    "striped": ("stripes", "pinstripes"), "polka_dot": ("polka dots", "dots", "spots"),
    "floral": ("flowers", "florals"), "plaid": ("plaid", "checks", "tartan"), "graphic": ("logo", "graphic"),
    "color_block": ("color blocks", "colour blocks"),
}
# 红底白点 / 白底蓝花: the pattern word after the second colour.
TWO_COLOUR_ZH: dict[str, tuple[str, ...]] = {
    "striped": ("条纹", "条"), "polka_dot": ("点", "波点", "圆点"), "floral": ("花", "碎花", "小花"),
    "plaid": ("格", "格子"), "graphic": ("印花", "字母"), "color_block": ("撞色", "拼色"),
}
