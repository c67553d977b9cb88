"""Carrier sentences, fillers and distractors: every word here sets no slot (a test checks that).

Placeholders: {np} a garment noun phrase; {x} attribute words; {core} an utterance being corrected;
{fix} the corrected attribute; {wrong} the attribute taken back. Modify templates are grouped by the
English form kind they take (see lexicon.py): "adj" after "make it", "bare" alone, "post" after "it".
"""

from __future__ import annotations

# ---------------------------------------------------------------- new: a garment is named
NEW_EN: tuple[str, ...] = (
    "{np}", "{np}", "{np}", "show me {np}", "I want {np}", "i'd like {np}", "I'd love {np}", "can I try {np}",
    "could you show me {np}", "let me try on {np}", "put me in {np}", "dress me in {np}", "try on {np}",
    "I'm looking for {np}", "looking for {np}", "do you have {np}?", "need {np}", "give me {np}",
    "how would I look in {np}?", "what about {np}?", "how about {np}", "let's see {np}", "let's try {np}",
    "show {np}", "{np} please", "{np} pls", "i'm thinking {np}", "maybe {np}?", "find me {np}",
    "can you put {np} on me", "i want to see myself in {np}", "visualize {np}", "generate {np}",
    "picture me in {np}", "switch to {np}", "change to {np}", "now {np}", "next: {np}", "ok now try {np}",
    "what would {np} look like on me", "{np} in stock?", "try {np} on me", "i wanna try {np}",
    "gimme {np}", "can i get {np}", "could I see {np}", "would love to see {np}", "show me what {np} looks like",
    "put {np} on", "let me see {np} on me", "i'm after {np}", "how does {np} look", "try me in {np}",
    "swap to {np}", "change it to {np}", "let's go with {np}", "I'll take {np}", "how about trying {np}",
    "any chance of {np}?", "could we try {np}", "i'd like to try on {np}", "show me myself in {np}",
    "put on {np} for me", "I need {np}", "searching for {np}", "i was hoping for {np}", "{np}, please",
    "is there {np}?", "okay, {np}", "let me see how {np} looks", "make it {np}",
    "make it {np} instead", "can you make it {np}", "turn it into {np}", "replace it with {np}",
)

NEW_ZH: tuple[str, ...] = (
    "{np}", "{np}", "{np}", "我想要{np}", "想要{np}", "我要{np}", "来{np}", "给我来{np}", "帮我换{np}", "换{np}",
    "换成{np}", "试试{np}", "我想试试{np}", "我想试穿{np}", "有没有{np}", "有{np}吗", "给我看看{np}",
    "我想看看{np}", "看看{np}", "想看{np}的效果", "穿上{np}看看", "能不能试一下{np}", "我想找{np}",
    "帮我找{np}", "帮我试一下{np}", "试一下{np}", "换上{np}", "给我换上{np}", "我想穿{np}",
    "要{np}", "我需要{np}", "请给我看{np}", "能看看{np}吗", "可以试{np}吗",
    "{np}有吗", "{np}，谢谢", "我喜欢{np}", "推荐{np}", "想试{np}", "给我搭{np}", "穿{np}会怎么样",
    "想看看穿{np}的样子", "帮我穿上{np}", "让我试试{np}", "我比较想要{np}", "再来{np}",
    "下一个：{np}", "那就{np}吧", "就要{np}", "请帮我换成{np}", "我想换{np}", "找找{np}", "改成{np}",
    "把这件换成{np}", "不要这件了，换{np}",
)

# ---------------------------------------------------------------- modify: attributes, no garment
MODIFY_EN: dict[str, tuple[str, ...]] = {
    "adj": (
        "make it {x}", "can you make it {x}", "could you make it {x}?", "make it {x} instead", "i want it {x}",
        "i'd like it {x}", "i'd prefer it {x}", "let's go {x}", "go {x}", "make this {x}", "make that {x}",
        "can it be {x}?", "could it be {x}", "turn it {x}", "i'd rather it be {x}", "same thing but {x}",
        "the same but {x}", "same one, just {x}", "now make it {x}", "ok make it {x}", "let's make it {x}",
        "would it work {x}?", "make mine {x}",
    ),
    "bare": (
        "{x}", "{x}", "{x} please", "{x} instead", "{x}!", "{x}?", "try {x}", "what about {x}?", "how about {x}",
        "maybe {x}", "switch to {x}", "change to {x}", "let's do {x}", "now {x}", "and {x}", "ok {x} then",
        "{x} this time", "let's try {x}", "{x} would be better", "i prefer {x}", "{x} pls", "go with {x}",
        "{x} instead please", "rather {x}", "{x} plz", "i'd go with {x}", "try {x} instead", "{x} now",
        "hmm {x} maybe", "prefer {x}", "i'd rather have {x}", "what if it was {x}?",
    ),
    "post": (
        "can I see it {x}", "show it {x}", "show me it {x}", "same thing but {x}", "same but {x}",
        "let me see it {x}", "try it {x}", "do you have it {x}?", "do you have this {x}?", "got this {x}?",
        "what does it look like {x}?", "i want it {x}", "same one {x}", "this one {x}", "show this {x}",
        "could it be {x}", "{x} please", "{x} instead", "now {x}", "how would it look {x}", "the same {x}",
        "same style {x}", "can you do it {x}", "let's see it {x}", "try this {x}", "is it available {x}?",
        "show me this one {x}", "and {x}", "i'd like this {x}", "same again {x}",
    ),
}

# One slot, named: x is the form kind in the pair's second place.
MODIFY_EN_SLOT: dict[str, tuple[tuple[str, str], ...]] = {
    "color": (("change the color to {x}", "adj"), ("change the colour to {x}", "adj"), ("different colour: {x}", "adj"),
              ("{x} version please", "adj"), ("the {x} one", "adj"), ("do it in {x}", "adj"),
              ("swap the colour for {x}", "adj"), ("recolor it {x}", "adj"), ("color: {x}", "adj"),
              ("what about the {x} version?", "adj"), ("colour {x}", "adj"), ("in {x}", "adj"),
              ("in {x} instead", "adj"), ("got it in {x}?", "adj")),
    "size": (("size {x} instead", "adj"), ("i need {x}", "noun"), ("i wear {x}", "noun"), ("go up to {x}", "noun"),
             ("go down to {x}", "noun"), ("my size is {x}", "noun"), ("in {x} please", "noun"),
             ("change the size to {x}", "noun"), ("i'm {x}", "noun"), ("do you have {x}?", "noun")),
    "sleeve": (("change the sleeves to {x}", "noun"), ("sleeves: {x}", "noun"), ("switch to {x}", "noun"),
               ("give it {x}", "noun"), ("i want {x}", "noun"), ("can it have {x}", "noun")),
    "neckline": (("switch the neckline to {x}", "noun"), ("neckline: {x}", "adj"), ("change the neck to {x}", "noun"),
                 ("give it {x}", "noun"), ("can it have {x}?", "noun")),
    "pattern": (("change the pattern to {x}", "noun"), ("pattern: {x}", "adj"), ("can I see it in {x}", "noun"),
                ("go with {x}", "noun")),
    "material": (("fabric: {x}", "adj"), ("change the fabric to {x}", "noun"), ("material {x}", "adj"),
                 ("in {x} instead", "noun"), ("can I get it in {x}", "noun"), ("made of {x}", "noun")),
    "fit": (("fit: {x}", "adj"), ("make the fit {x}", "adj"), ("i want {x}", "noun"), ("change to {x}", "noun"),
            ("go for {x}", "noun")),
    "length": (("change the length to {x}", "noun"), ("length: {x}", "adj"), ("make it {x}", "adj"),
               ("go {x}", "adj")),
}

MODIFY_ZH: tuple[str, ...] = (
    "换成{x}", "换成{x}的", "改成{x}", "改成{x}的", "{x}的", "要{x}的", "来个{x}的", "换个{x}的", "试试{x}的",
    "{x}的有吗", "有{x}的吗", "能换成{x}吗", "可以改成{x}的吗", "我想要{x}的", "还是{x}的吧", "看看{x}的",
    "变成{x}", "{x}", "{x}吧", "{x}的吧", "换{x}的", "换一个{x}的", "给我换成{x}", "帮我改成{x}",
    "这件换成{x}的", "这个改成{x}", "把它换成{x}的", "把这件改成{x}", "{x}的看看", "{x}的怎么样",
    "用{x}的", "弄成{x}的", "再来个{x}的", "要是{x}的呢", "{x}的呢？", "不如{x}的", "改{x}", "换{x}",
    "我要{x}的", "能不能{x}", "试一下{x}的", "想看{x}的", "给我看看{x}的", "要{x}", "这个换{x}",
    "同款{x}的有吗", "同样的，{x}", "还是这件，{x}的", "就这件，换成{x}", "帮我换个{x}的",
)

MODIFY_ZH_SLOT: dict[str, tuple[str, ...]] = {
    "color": ("颜色换成{x}", "换个颜色，{x}", "颜色改成{x}的", "{x}的那个", "换成{x}看看", "颜色要{x}",
              "有{x}的吗", "换个{x}", "颜色：{x}"),
    "size": ("尺码换成{x}", "要{x}", "换{x}", "我穿{x}", "{x}的有吗", "尺码{x}", "换成{x}", "给我{x}的"),
    "sleeve": ("袖子换成{x}", "改成{x}", "袖子要{x}的", "换成{x}的"),
    "neckline": ("领子换成{x}", "领口改成{x}", "领型换成{x}", "换成{x}的"),
    "pattern": ("花色换成{x}", "图案换成{x}的", "换成{x}的", "来个{x}的"),
    "material": ("面料换成{x}", "材质改成{x}的", "换成{x}面料", "面料要{x}的"),
    "fit": ("版型换成{x}的", "{x}", "{x}的", "改成{x}的"),
    "length": ("长度改成{x}", "改成{x}的", "换成{x}的"),
}

# ---------------------------------------------------------------- garment phrases: joiners and tails
ZH_POST: tuple[str, ...] = ("，{x}", "，要{x}的", "，{x}的", "，最好是{x}的", "，{x}的就行", "，要{x}", "，希望是{x}的",
                            " {x}", "，{x}的那种")
ZH_POST_SIZE: tuple[str, ...] = ("，尺码{x}", "，我穿{x}", "，{x}", "，要{x}的", "，{x}的", " {x}")
ZH_QUANTIFIERS: tuple[str, ...] = ("一{m}", "一{m}", "{m}", "", "", "这种", "一款")

# ---------------------------------------------------------------- corrections and negations
CORRECT_EN: tuple[str, ...] = (
    "{core}, no wait, {fix}", "{core}... actually {fix}", "{core}, sorry, I meant {fix}", "{core} - no, {fix}",
    "{core}, make that {fix}", "{core}, or rather {fix}", "{core}. wait no, {fix}", "{core}, scratch that, {fix}",
    "{core} oops i mean {fix}", "{core}, no, {fix}", "{core}. hmm, no, {fix}", "{core}, actually {fix} is better",
    "{core} — on second thought, {fix}", "{core} actually {fix}", "{core}, I mean {fix}",
    "{core}... no, {fix} please", "{core}, no actually {fix}", "{core} wait {fix}",
)
NEGATE_EN_PREFIX: tuple[str, ...] = ("not {wrong}, {fix}", "not {wrong} — {fix}", "no {wrong}, {fix} please",
                                     "not {wrong}. {fix}", "not {wrong} but {fix}", "{fix}, not {wrong}",
                                     "{fix} not {wrong}", "i said {fix}, not {wrong}")
NEGATE_EN_SUFFIX: tuple[str, ...] = ("{core}, not {wrong}", "{core} (not {wrong})", "{core} — not {wrong}",
                                     "{core}, but not {wrong}")
CORRECT_ZH: tuple[str, ...] = (
    "{core}，不对，{fix}", "{core}，不是，{fix}", "{core}，哦不，{fix}", "{core}……算了，还是{fix}吧",
    "{core}，等等，{fix}", "{core}，说错了，{fix}", "{core}，不不不，{fix}", "{core}，改一下，{fix}",
    "{core}，呃不对，要{fix}", "{core}，不对不对，{fix}的", "{core}……不，{fix}", "{core}，还是{fix}吧",
    "{core}，算了，{fix}的吧",
)
NEGATE_ZH_PREFIX: tuple[str, ...] = ("不要{wrong}，要{fix}", "不要{wrong}的，要{fix}的", "是{fix}，不是{wrong}",
                                     "不是{wrong}，是{fix}", "别{wrong}的，{fix}的", "不要{wrong}，换{fix}")
NEGATE_ZH_SUFFIX: tuple[str, ...] = ("{core}，不要{wrong}的", "{core}，不是{wrong}的", "{core}，别要{wrong}")

# ---------------------------------------------------------------- undo and reset
UNDO_EN: tuple[str, ...] = (
    "undo", "undo that", "go back", "take that back", "previous one", "back", "go back one", "revert",
    "revert that", "undo the last change", "i liked the last one better", "never mind, go back", "switch back",
    "put the last one back", "change it back", "back to the previous one", "the one before", "undo last",
    "oops undo", "ctrl z", "that's worse, go back", "can we go back", "let's go back to what I had",
    "nope, revert", "actually no, undo that", "previous look", "last one was better, go back",
    "restore the previous", "step back", "go back a step", "undo please", "revert to before",
    "bring back the last one", "no no, undo", "let's undo that", "i changed my mind, go back", "back one step",
)
UNDO_ZH: tuple[str, ...] = (
    "撤销", "返回上一步", "算了还是刚才那个", "上一个", "回到上一个", "退回去", "撤回", "还是刚才的好",
    "换回去", "改回去", "回退", "刚才那件更好，换回来", "不要这个了，换回刚才的", "撤销上一步", "恢复上一个",
    "返回", "后退一步", "还原上一步", "上一步", "回到刚才", "还是之前那个吧", "撤销一下", "退一步",
    "取消刚才的修改", "刚刚那个比较好", "换回来吧", "返回上一个",
)
UNDO_MIXED: tuple[str, ...] = ("undo一下", "帮我undo", "go back 上一步", "please 撤销", "撤销 please", "back 一下",
                               "还是 previous one 吧", "revert 回去")
RESET_EN: tuple[str, ...] = (
    "start over", "clear all", "reset", "clear everything", "start from scratch", "begin again", "wipe it",
    "reset everything", "new session", "clear", "remove everything", "take it all off", "let's start fresh",
    "from the top", "restart", "clean slate", "forget all that", "scrap everything", "reset the outfit",
    "clear the outfit", "start again from zero", "wipe everything", "let's start over", "reset all",
)
RESET_ZH: tuple[str, ...] = (
    "重新开始", "清空", "全部重来", "重来", "清除全部", "全部清空", "从头开始", "重置", "都不要了，重新来",
    "全部删掉", "清空所有", "恢复初始", "重新搭配", "一切重来", "清掉重来", "全部重置", "重新来过", "从零开始",
    "都清掉",
)
RESET_MIXED: tuple[str, ...] = ("reset一下", "帮我reset", "重新 start", "清空 please", "start over 吧",
                                "全部 reset", "clear 一下")

# ---------------------------------------------------------------- fillers, politeness, distractors
PREFIX_EN: tuple[str, ...] = (
    "um", "umm", "hmm", "uh", "ok", "okay so", "so", "hey", "hi", "yo", "well", "right", "alright", "hm", "oh",
    "please", "hey there", "ok so", "err", "actually", "actually,",
    "um, ", "hmm...", "so like", "hiya", "ok cool", "hi!", "excuse me,",
)
SUFFIX_EN: tuple[str, ...] = (
    "please", "pls", "plz", "thx", "thanks", "thank you", "thanks!", "ty", "if you can", "if possible",
    "would be great", "please and thank you", "lol", "haha", "asap", "for me", "thx!", "cheers",
)
PREFIX_ZH: tuple[str, ...] = (
    "嗯", "呃", "那个", "哎", "好的", "好吧", "麻烦", "拜托", "你好，", "嗯嗯", "那", "诶", "额", "麻烦你",
    "这样，", "那个啥，", "哈喽", "老板，", "亲，", "在吗，",
)
SUFFIX_ZH: tuple[str, ...] = ("谢谢", "谢啦", "谢谢你", "麻烦了", "拜托了", "可以吗", "行吗", "好吗", "哈", "呀", "啊",
                              "吧", "呢", "哦", "多谢")
DISTRACTORS_EN: tuple[str, ...] = (
    "for a wedding", "for work", "for the office", "for date night", "for a job interview", "for the weekend",
    "for brunch", "cheap", "trendy", "something trendy", "on a budget", "that's in style", "for my sister's party",
    "for vacation", "for a night out", "for school", "for the gym", "to impress", "nice", "cute", "elegant",
    "fancy", "like in the magazine", "like the one I saw online", "from the new collection", "for summer",
    "for winter", "for fall", "for spring", "for a beach trip", "for a concert", "for church", "for travel",
    "that looks good on me", "under $50", "on sale", "for my birthday", "for a first date", "for a festival",
)
DISTRACTORS_ZH: tuple[str, ...] = (
    "周末穿", "上班穿", "约会穿", "参加婚礼穿", "去面试穿", "便宜点的", "时髦一点的", "夏天穿的", "冬天穿的",
    "出去玩穿", "好看点的", "百搭的", "今年流行的", "适合通勤的", "度假穿的", "显年轻的", "有气质一点的",
    "去海边穿", "上学穿", "逛街穿", "过年穿", "春天穿", "秋天穿", "生日穿", "参加派对穿",
)
EMOJI: tuple[str, ...] = ("👗", "✨", "🙏", "😍", "💕", "🔥", "👀", "😊", "🥰", "👚", "👖", "👕", "💖", "🙂", "😄",
                          "🤔", "👌", "💯", "🛍️", "😘")
