package demo

// What simulated people say. The community is a reading and self-growth
// club, the kind of group Pulse is made for. No chat line may read as a
// command (TestChatIsNotCommand checks every one).

// Chinese names: common surnames and given names, the way people appear in
// WeChat groups under their real names.
var (
	surnames = []string{
		"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
		"何", "林", "罗", "高", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾",
		"田", "董", "潘", "袁", "蔡", "蒋", "余", "杜", "叶", "程", "魏", "苏", "吕", "丁", "沈", "姚",
	}
	givenNames = []string{
		"伟", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超",
		"霞", "平", "刚", "华", "芳", "燕", "玲", "丹", "鹏", "宇", "浩", "婷", "雪", "琳", "晨", "欣怡",
		"子轩", "梓涵", "一诺", "思远", "佳琪", "雨桐", "博文", "晓东", "海燕", "文静", "志强", "俊杰",
		"晓明", "嘉怡", "诗涵", "浩然", "天宇", "若曦",
	}
	// nicknames are WeChat-style display names.
	nicknames = []string{
		"小鱼儿", "阿杰", "大熊", "老王", "Kevin刘", "安妮Annie", "木子", "半夏", "橙子", "阿May",
		"小蔡同学", "Leo老师", "一只猫", "晴天", "七月", "豆豆", "星河", "北北", "Yuki雪", "阿飞",
		"知秋", "南风", "小满", "Coco陈", "大白", "阿文", "青柠", "十一", "Tony周", "米粒",
	}
	// Latin handles: a first name in one of the shapes people pick.
	latinFirst = []string{
		"alice", "bob", "carol", "david", "emma", "frank", "grace", "henry", "ivy", "jack", "kate",
		"leo", "mia", "nina", "oscar", "paul", "rose", "sam", "tina", "victor", "wendy", "yuki",
		"zoe", "lucas", "chloe", "ethan", "sophia", "liam", "olivia", "noah", "ava", "kevin", "jason",
		"cindy", "amy", "eric", "helen", "tom", "lily", "ryan",
	}
	latinLast = []string{"w", "chen", "liu", "wang", "zhang", "li", "lin", "h", "k", "x", "m", "zhao", "wu"}
)

// lines is what one locale's members say.
type lines struct {
	chat, replies, intros, welcomes, evening []string
	suffixes                                 []string
	grantReasons                             []string
	quotes                                   []string
	dailyBot, welcomeBot                     string // fmt with a quote / the newcomer's name
	spam                                     []string
	checkin, checkinAlt                      string
	makeup                                   string
	grant                                    string // fmt: target name, amount, reason
	refused                                  string // fmt: target name
	me, top, topXPWeek                       string
	adminGrantReason                         string
	stats                                    string
	goal                                     string // fmt: target, deadline
}

var talk = map[string]*lines{
	"zh": {
		chat: []string{
			"早上好，今天也要加油💪",
			"昨天读完了《原则》，最大的收获是先把问题写下来再做决定",
			"有人用过 Notion 做读书笔记吗？求个模板",
			"这周的共读进度到第几章了？",
			"刚看到一篇讲时间管理的文章，挺受启发的",
			"晚上的分享会几点开始？",
			"推荐一本书：《穷查理宝典》，常读常新",
			"番茄钟对我特别有用，每天能专注四个小时",
			"周末有人一起线下读书吗？坐标上海",
			"今天加班到现在，书只看了十页😂",
			"这个观点我不太同意，样本太小了",
			"有没有适合入门的经济学书？",
			"分享一个小技巧：睡前把明天最重要的三件事写下来",
			"今天的读书笔记整理好了，放在群文件里了",
			"大家一般每天读多久？",
			"《被讨厌的勇气》第三章讲得太好了",
			"最近在练写作，每天写 500 字",
			"哈哈哈，太真实了",
			"收到，谢谢提醒",
			"周报写完了，终于可以看书了",
			"有人试过用 AI 总结一本书吗？效果怎么样",
			"今天天气不错，去公园看书了",
			"这本书哪个译本比较好？",
			"坚持快一个月了，感觉习惯慢慢养成了",
			"求推荐播客，通勤路上听",
			"下周的主题是什么？",
			"刚入手了一个 Kindle，真香",
			"中午吃什么大家？😂",
			"今天状态不太好，休息一下",
			"读书最难的是开始，开始了就好了",
			"有同学在准备考研吗？",
			"看完了，结尾有点仓促",
			"这个月的目标是读完三本书",
			"群里的氛围真好",
			"周五晚上有空的可以连麦聊聊",
			"费曼学习法真的有用，讲给别人听就懂了",
			"刚整理了一份书单，需要的私我",
			"《人类简史》有人读过吗，值得读吗",
			"我发现早起读书效率最高",
			"昨晚熬夜看完了《三体》第二部",
			"今天只读了二十分钟，也算没断",
			"想问下大家笔记都用什么软件",
		},
		replies: []string{
			"同意！", "说得太对了", "谢谢分享🙏", "+1", "我也想知道", "哈哈哈哈", "学到了",
			"有道理，回头试试", "我之前也遇到过，后来固定每天早上读", "链接能发一下吗？",
			"确实，关键是坚持", "👍👍👍", "这个好，收藏了", "我也在读这本", "求书单+1",
		},
		intros: []string{
			"大家好，我是新来的，做产品的，很高兴加入！",
			"大家好～新人报到，平时喜欢看历史书",
			"Hi 大家好，在杭州做设计，想养成读书的习惯",
			"刚进群，请多关照🙏",
			"大家好，朋友推荐来的，希望一起坚持读书",
		},
		welcomes:     []string{"欢迎欢迎～", "欢迎加入！记得看群公告", "欢迎新朋友👏", "欢迎！一起读书呀"},
		evening:      []string{"今晚的分享太精彩了", "老师讲得好清楚", "这个案例很有启发", "PPT 能分享一下吗？", "下次分享会我也想报名"},
		suffixes:     []string{"", "", "", "～", "😂", "👍", "！", " 哈哈"},
		grantReasons: []string{"帮助新人", "整理了本周笔记", "分享会主讲", "回答了很多问题"},
		quotes: []string{
			"读书不是为了雄辩和驳斥，而是为了思考和权衡。——培根",
			"书山有路勤为径，学海无涯苦作舟。",
			"知之者不如好之者，好之者不如乐之者。",
			"种一棵树最好的时间是十年前，其次是现在。",
			"不积跬步，无以至千里。",
		},
		dailyBot:         "【每日一句】%s",
		welcomeBot:       "欢迎 @%s 加入读书会！请先阅读群公告，每天发「签到」可以领积分～",
		spam:             []string{"【限时福利】加V：xx8866 免费领取全套读书资料，名额有限！", "兼职刷单日结 300+，有意者私聊，名额有限"},
		checkin:          "签到",
		checkinAlt:       "打卡",
		makeup:           "补签",
		grant:            "加分 @%s %d %s",
		refused:          "加分 @%s 100 谢谢你的笔记",
		me:               "我的",
		top:              "排行",
		topXPWeek:        "排行 经验 本周",
		adminGrantReason: "帮助新人",
		stats:            "统计",
		goal:             "目标 设置 周活 %d %s",
	},
	"en": {
		chat: []string{
			"good morning all, let's make it a good one 💪",
			"finished Principles yesterday: writing the problem down first is the big lesson",
			"anyone using Notion for reading notes? looking for a template",
			"which chapter is everyone at this week?",
			"just read a great piece on time management, very inspiring",
			"what time does tonight's session start?",
			"book tip: Poor Charlie's Almanack, better every time I read it",
			"the pomodoro timer works wonders for me, four focused hours a day",
			"anyone up for a reading meetup this weekend? I'm in Shanghai",
			"worked late again, only managed ten pages 😂",
			"not sure I agree with that, the sample is tiny",
			"any good intro books on economics?",
			"small tip: before bed, write down tomorrow's three most important things",
			"my notes for today are up in the shared folder",
			"how long do you all read each day?",
			"chapter three of The Courage to Be Disliked is so good",
			"practising writing lately, 500 words a day",
			"haha, so true",
			"got it, thanks for the reminder",
			"weekly report done, finally time to read",
			"has anyone tried summarising a book with AI? any good?",
			"lovely weather, reading in the park today",
			"which translation of this book is best?",
			"almost a month in, the habit is finally sticking",
			"podcast recommendations for the commute?",
			"what's next week's theme?",
			"just got a Kindle, loving it",
			"lunch ideas anyone? 😂",
			"not feeling great today, taking a break",
			"the hardest part of reading is starting",
			"anyone preparing for grad school exams?",
			"done! the ending felt a bit rushed",
			"my goal this month: three books",
			"love the vibe in this group",
			"free on Friday evening? let's do a voice chat",
			"the Feynman technique really works: explain it and you get it",
			"put together a reading list, DM me if you want it",
			"has anyone read Sapiens? worth it?",
			"I read best early in the morning",
			"stayed up to finish The Dark Forest last night",
			"only twenty minutes today, but the streak lives",
			"what app do you all use for notes?",
		},
		replies: []string{
			"agreed!", "so true", "thanks for sharing 🙏", "+1", "I'd like to know too", "hahaha", "TIL",
			"makes sense, will try", "same here, reading at a fixed time fixed it for me", "link please?",
			"right, consistency is everything", "👍👍👍", "great one, saved", "reading that one too", "+1 for the list",
		},
		intros: []string{
			"hi all, new here, I work in product, glad to join!",
			"hello! newcomer here, I mostly read history",
			"hey everyone, designer from Hangzhou, trying to build a reading habit",
			"just joined, nice to meet you all 🙏",
			"hi, a friend sent me here, hoping to read more with you",
		},
		welcomes:     []string{"welcome!", "welcome aboard! check the pinned rules", "welcome, new friend 👏", "welcome, happy reading"},
		evening:      []string{"tonight's talk was brilliant", "such a clear explanation", "that case study was eye-opening", "can you share the slides?", "I'd like to give a talk next time"},
		suffixes:     []string{"", "", "", " :)", "!", " lol", " 👍"},
		grantReasons: []string{"helped a newcomer", "shared this week's notes", "gave the weekly talk", "answered lots of questions"},
		quotes: []string{
			"A reader lives a thousand lives before he dies. — G.R.R. Martin",
			"Reading is to the mind what exercise is to the body. — Joseph Addison",
			"The best time to plant a tree was 20 years ago. The second best time is now.",
			"Today a reader, tomorrow a leader. — Margaret Fuller",
			"Small steps every day add up to big results.",
		},
		dailyBot:         "Quote of the day: %s",
		welcomeBot:       "Welcome @%s to the Reading Club! Please read the pinned rules; say /checkin every day to earn points.",
		spam:             []string{"🔥 FREE crypto signals, 300% returns guaranteed! DM me now 🔥", "Earn $500/day from home!!! Message me for details"},
		checkin:          "/checkin",
		checkinAlt:       "签到",
		makeup:           "/makeup",
		grant:            "/grant @%s %d %s",
		refused:          "/grant @%s 100 thanks for the notes",
		me:               "/me",
		top:              "/top",
		topXPWeek:        "/top xp week",
		adminGrantReason: "helped a newcomer",
		stats:            "/stats",
		goal:             "/goal set wau %d %s",
	},
}

// Display names of the bots and spam accounts.
var (
	botNames = map[string][2]string{ // locale → daily bot, welcome bot
		"zh": {"每日一句", "群助手"},
		"en": {"DailyQuoteBot", "WelcomeBot"},
	}
	spamNames = map[string][]string{
		"zh": {"兼职招聘-小美", "优惠券助手", "资料免费领"},
		"en": {"promo_deals88", "crypto_signals_vip", "easy_money_24"},
	}
)
