package pii

import "strings"

// Figurative phrases use body and clinical words for something else ("an
// arm and a leg", "a lump sum", "in stitches", "a sore loser", "my heart
// sank"). A medical span of any origin, rule or tagger, that overlaps one
// is dropped. The list is of common English idioms as such, not of lines
// that were misread: each phrase is figurative wherever it occurs, and
// none names a complaint ("tongue-tied", "cold turkey", "a frog in my
// throat" and "butterflies" are left out, since a caller may mean them).
// Below the idioms, everyday compounds built on such words ("a smear
// campaign", "the high street", "a power cut", "a parking spot").
// Words are matched in order, case-folded; a hyphen in the text is
// skipped, so "eye watering" also matches "eye-watering".
var figurativeIdioms = compileIdioms(`
arm and a leg | pulling my leg | pulling your leg | pull my leg | pull your leg | on its last legs | on their last legs | leg up
twist my arm | twist his arm | twist her arm | chance my arm | at arm's length | shot in the arm
bite the bullet | blind eye | heads up | sight for sore eyes | apple of my eye | apple of her eye | apple of his eye
eyes peeled | see eye to eye | blink of an eye | eye watering | eye opener | caught my eye | catch my eye | more than meets the eye
heart of gold | heart sank | heart goes out | heart in the right place | heart's in the right place | change of heart | take heart | by heart | heart to heart | heart warming | heartwarming | heart of the
sore point | sore thumb | sore loser | sore losers | sore subject
lump sum | lump sums
itching to | itching for
head above water | head over heels | head office | head teacher | off the top of my head | bury my head | scratching my head | scratch my head | keep my head down | head is screwed on
hands full | hands are full | hands are tied | on the other hand | give me a hand | give you a hand | lend a hand | a hand with | second hand | hand in hand | hand it in | hands on
bone dry | bone to pick | funny bone | bone idle | lazy bones | make no bones
nosebleed seats | pay through the nose | turn my nose up | under my nose | nose to the grindstone | on the nose
pulling my hair out | pull my hair out | tearing my hair out | let my hair down | hair of the dog | hair's breadth | hair raising
in stitches | chest of drawers | fingers and thumbs | butter fingers | fingers crossed | keep my fingers crossed
shot in the dark | long shot | big shot | give it a shot | have a shot | call the shots | mug shot
jumped out of my skin | jump out of my skin | thick skinned | skin of my teeth | under my skin | thick skin
cold shoulder | cold call | cold calling | cold snap | cold comfort | out in the cold | cold feet
sick and tired | sick to death | sick as a parrot | sick to the back teeth | fed up to the back teeth
burning the candle | blood boil | bad blood | new blood | in cold blood | sweat blood | blood is thicker
dying for a | to die for | dying to know | dying to see
growing pains | at pains to | no pain no gain | pain in the backside | pain in the bum | pain in the neck | pain in the arse
gut feeling | gut instinct | spill my guts | hate my guts
toe the line | on their toes | on my toes | on our toes | tread on toes | step on toes | dip a toe
stomach churning | can't stomach | cannot stomach | couldn't stomach | stomach for it
brain teaser | brainteaser | brainwave | no brainer | brainstorm
mind went blank | out of my mind | peace of mind | piece of my mind | slipped my mind | cross my mind | crossed my mind
tongue in cheek | bite my tongue | tip of my tongue | tongue twister
face the music | lose face | save face | face value | face the fact | face of the
chin up | on the chin
all ears | up to my ears | music to my ears | ear to the ground | bend your ear | play it by ear
foot the bill | put my foot in it | put my foot down | foot of the | on foot | foot in the door | drag my feet | feet up | find my feet | back on my feet | rushed off my feet | dead on my feet
shock to the system | bitter pill | dose of reality | dose of good | fever pitch
getting cut off | got cut off | get cut off | keep getting cut off | cut me off | cut it short
pressure off | under pressure | take a break | break from | lunch break | tea break | coffee break | short break | weekend break | half term break | christmas break | summer break
smear campaign | rash decision | rash decisions | a rash of | stiff competition | stiff drink | stiff upper lip | cough up for | had to cough up | cough up the
data extraction | parking spot | parking spots | spot on | spot of lunch | a spot of | massage chair | massage chairs | blood donor | blood donors | blood drive
shaky line | shaky signal | shaky start | high street | sick pay | low battery | flu season | drip tray | computer virus | virus scan | test message | fitting room
number plate | brace yourself | budget cuts | power cut | power cuts | speed bump | bump into | fell on deaf ears | deaf ears | scan the code | scan the qr
hurt my pride | hurt his pride | hurt her pride | hurt my feelings | hurt his feelings | hurt her feelings | injection moulding | injection molding
pressure washer | pressure cooker | tyre pressure | tire pressure | water pressure | haircut | hair cut | dose of bad
soft spot for | a soft spot | all at sea | keep my eyes open | keep your eyes open | nearly fell over when
fell out with | falling out with | fallen out with | fall out with | fell in love | fallen in love
nearly broke my neck | nearly broken my neck | dnacpr | dnar | minor ailments | bee in my bonnet | bee in his bonnet | bee in her bonnet | power of attorney | powers of attorney | mi nombre es | nombre es | blister pack | blister packs | broke my heart | break my heart | breaks my heart | broken my heart | ill a day in | bank transfer | bank transfers | money transfer | headless chicken | timing out | timed out | times out | like nobody's business | like nobodys business | with a small c | with a capital | a small c | pulled her cord | pulled his cord | pull cord | pulled the cord
heart attack when i saw | heart attack when i opened | heart attack when i got the | heart attack when i heard the | heart attack when i read
low on credit | low on battery | low on charge | low on data | low on money | low on cash | low on petrol
swallowed my pride | swallow my pride | swallow your pride | swallowed his pride | swallowed her pride | swallowing my pride
qr scan | qr scanner | barcode scan | barcode scanner | passport scan
doing my head in | doing his head in | doing her head in | doing your head in | does my head in | did my head in | bite my head off | bit my head off | lost my head | lose my head
racking my brains | rack my brains | wracking my brains | pick your brains | pick his brains | pick her brains | picking your brains
turn a deaf ear | turns a deaf ear | turned a deaf ear | all mouth | word of mouth | words in my mouth | lip service | sweet tooth | long in the tooth | tooth and nail
travel bug | ears are burning | ears were burning | gets on my nerves | get on my nerves | got on my nerves | getting on my nerves | nerves of steel
shoot myself in the foot | shot myself in the foot | break a leg | off my chest | elbow grease | knee jerk | neck of the woods | fit as a fiddle
behind my back | behind his back | behind her back | pat on the back | stab in the back | back burner | thorn in my side | weight off my mind | weight off my shoulders | shoulder to cry on
made my blood run cold | blood ran cold | hit the nail on the head | head and shoulders above | don't hold your breath | waste of breath | under my breath | breath of fresh air | sick joke
bear with a sore head | drowned rat | like a yo-yo | like a yo yo | breakdown of what | breakdown of the bill | breakdown of the costs | breakdown of costs | breakdown of the charges | breakdown of charges | breakdown of the invoice | breakdown of the fees | about to have a heart attack | about to have a coronary | nearly had a coronary | give me a coronary | gave me a coronary | give anyone a coronary | nearly had a heart attack | almost had a heart attack | nearly gave me a heart attack | gave me a heart attack | give me a heart attack | give him a heart attack | give her a heart attack
give anyone a heart attack | give you a heart attack | give someone a heart attack | give us a heart attack | give everyone a heart attack | gave him a heart attack | gave her a heart attack | gave us a heart attack | giving me a heart attack | giving him a heart attack | giving her a heart attack
twisted my arm | twisted his arm | twisted her arm | twist your arm | twisted your arm | i'm a pain | im a pain | being a pain | to be a pain | tickled pink | feeling the pinch | feel the pinch | felt the pinch
touch wood | jaw dropping | mouth watering | nail biting | back breaking | spine chilling | heart breaking | heartbreaking | mind blowing | hair's breadth
keep an eye out | keeping an eye out | kept an eye out | face to face | cast iron stomach | stomach of iron | bleeding me dry | bleed me dry | bleeding us dry | bled me dry
cried his eyes out | cried her eyes out | cried my eyes out | crying my eyes out | crying his eyes out | crying her eyes out | cry my eyes out | runs in the family | runs in families | run in the family | runs in our family | panic over | blind spot when | a blind spot for | dishwasher tablet | dishwasher tablets | blood orange | blood oranges | dropped a stitch | drop a stitch | dropping stitches | loft insulation | binge watching | binge watched | binge watch | binge watches | headache of a | headache of an | nightmare of a | running low on | run low on | getting low on | on pins and needles | fingers crossed | fingers are crossed | growing like a weed | grown like a weed | blood out of a stone | lost count | losing count | passing through | just passing
shaking his head | shaking her head | shaking my head | shaking their heads | shook his head | shook her head | shook my head | shake my head | shaking hands | shook hands | shake hands
fitting me in | fitting us in | fitting him in | fitting her in | fitting them in | fitting you in | fit me in | fit us in | fit him in | fit her in | fit them in | fit you in | fitted me in | fitted us in | fitted him in | fitted her in
`)

type idiom []string

func compileIdioms(src string) []idiom {
	var out []idiom
	for _, line := range strings.Split(src, "\n") {
		for _, p := range strings.Split(line, "|") {
			if f := strings.Fields(strings.ToLower(p)); len(f) > 0 {
				out = append(out, f)
			}
		}
	}
	return out
}

// idiomsByFirst indexes the idioms by their first word.
var idiomsByFirst = func() map[string][]idiom {
	m := map[string][]idiom{}
	for _, id := range figurativeIdioms {
		m[id[0]] = append(m[id[0]], id)
	}
	return m
}()

// figurativeRanges returns the byte spans of the idioms in the tokens.
func figurativeRanges(toks []token) [][2]int {
	var out [][2]int
	for i := range toks {
		for _, id := range idiomsByFirst[toks[i].low] {
			k, ok := i, true
			for _, w := range id {
				for k < len(toks) && toks[k].text == "-" {
					k++
				}
				if k >= len(toks) || toks[k].low != w {
					ok = false
					break
				}
				k++
			}
			if ok {
				out = append(out, [2]int{toks[i].s, toks[k-1].e})
			}
		}
	}
	return out
}

// dropFigurative removes medical candidates that overlap an idiom, and
// vetoes the idioms' spans for the tagger.
func dropFigurative(st *scanState) {
	rs := figurativeRanges(st.toks)
	if len(rs) == 0 {
		return
	}
	for _, r := range rs {
		st.veto(r[0], r[1])
	}
	kept := st.cands[:0]
	for _, c := range st.cands {
		drop := false
		if CategoryOf(c.typ) == CategoryMedical {
			for _, r := range rs {
				if c.s < r[1] && r[0] < c.e {
					drop = true
					break
				}
			}
		}
		if !drop {
			kept = append(kept, c)
		}
	}
	st.cands = kept
}

// dropMisfits removes medical candidates, of any origin, that the words
// around them show to be something else:
//   - a procedure followed by a room, desk or department word ("the blood
//     test room", "the X-ray department"): a place in the clinic;
//   - anything followed by "clinic" ("the pain clinic", "the football
//     injury clinic"): a clinic's name, which the convention leaves
//     unlabelled (no gold span of the development sets is followed by it);
//   - a condition naming a team or role ("the asthma nurse", "the
//     diabetes team", "the stroke unit"): a department, unlabelled too;
//   - a state of a thing ("the wifi is sick", "my bag is heavy", "the
//     line's bad"): a machine, bag or line is the subject;
//   - a pet's complaint or treatment ("the dog had an operation", "his
//     jabs at the vet"): not the caller's health data;
//   - a review, assessment or test "at work", "at school" or "for work":
//     the caller's job or school, not the clinic;
//   - a condition that ends in "fine", "OK" or "normal" ("my hearing's
//     fine"): the caller says there is nothing wrong;
//   - "ill" before a verb in speech-to-text ("so ill be late"): "I'll"
//     with its apostrophe lost.
func dropMisfits(st *scanState) {
	kept := st.cands[:0]
	for _, c := range st.cands {
		if !misfit(st, c) {
			kept = append(kept, c)
		}
	}
	st.cands = kept
}

func misfit(st *scanState, c candidate) bool {
	if c.typ == TypePerson {
		return placeAfterArticle(st, c) || notAPerson(st, c)
	}
	if CategoryOf(c.typ) != CategoryMedical {
		return false
	}
	i, j := st.tokenRange(c.s, c.e)
	if i < 0 {
		return false
	}
	next, next2 := st.tok(j), st.tok(j+1)
	if n := strings.TrimSuffix(strings.TrimSuffix(next.low, "'s"), "’s"); n == "clinic" || n == "clinics" {
		return true // "the flu clinic's on Saturday" too
	}
	if serviceAfter(st, j) || orgHeads[st.toks[j-1].low] {
		return true // "the heart foundation", "a stroke charity": a body's name
	}
	if roomCode(st, i, j) {
		return true
	}
	if numbersOnly(st.toks[i:j]) && !(next.text == "-" && !next.sp) || practitionerOnly(st.toks[i:j]) {
		return true // "he's only fourteen", "the rheumatologist said"
	}
	if petSubject(st, i) || vetAfter(st, j) || practitionerShorthand(st, i, j) {
		return true
	}
	if c.typ == TypeMedicalCondition && j == i+1 && (pets[baseName(next)] || dogBreeds[baseName(next)]) {
		return true // "a very anxious labrador", "a poorly dog"
	}
	if c.typ == TypeMedicalCondition && supplyRunningLow(st, i, j) {
		return true // "my brown inhaler is running low": the supply, not the body
	}
	if boundPrefixOnly(st, i, j) {
		return true // "do I need a pre-authorisation number": half a word
	}
	if l := st.toks[j-1].low; colourWords[l] && recordWords[next.low] {
		return true // "his red book", "the yellow booklet": a record by its colour
	}
	if next.low == "scheme" || next.low == "schemes" {
		return true // "the long-term illness scheme", "the volunteer drivers scheme"
	}
	if l := st.toks[j-1].low; (l == "code" || l == "codes") && j-i >= 2 {
		return true // "a procedure code", "a collection code": admin
	}
	if j == i+1 && next.text == "-" && !next.sp && st.tok(j+1).kind == tokNum && !st.tok(j+1).sp && st.toks[i].upper && strings.ToUpper(st.toks[i].text) == st.toks[i].text {
		return true // "it's number OP-20931": a reference's letters
	}
	if goneHour(st, i, j) || misreadMedicine(st, c, i, j) || goneMissing(st, i, j) || adminHeadache(st, i, j) || lostThings(st, c, i, j) || stationAfter(st, j) || titledName(st, i, j) || practiceByName(st, c, i, j) || c.typ == TypeMedication && thoroughfares[st.toks[j-1].low] {
		return true // the eighteenth round's guards (round18.go): "it's gone two", "my boy oisin swallowed", "the eyewash station", ...
	}
	if st.toks[i].low == "level" && schoolLevel(st, i) {
		return true // "his A-level results": exams
	}
	if c.typ != TypeMedicalCondition && jobAfterCopula(st, i) {
		return true // "I'm a physio myself", "I'm a CPN with the team"
	}
	switch c.typ {
	case TypeMedication:
		if l := st.toks[j-1].low; (l == "dye" || l == "dyes") && !hasContrastCue(st) {
			return true // "the dye on my hair": no scan in sight
		}
	case TypeProcedure:
		if st.toks[j-1].low == "surgery" && j-i >= 2 && practiceNamed(st, i, j-1) {
			return true // "the practice nurse at millbrook surgery"
		}
		if l := st.toks[j-1].low; (l == "bridge" || l == "bridges") && !hasWordIn(st, dentalCues) && roadPrepositions[st.tok(i-1).low] {
			return true // "turn left after the bridge"
		}
		if placeInClinic[next.low] && next.low != "machine" && next.low != "machines" && next.low != "hours" && next.low != "times" {
			return true
		}
		if next.low == "office" || next.low == "offices" || (next.low == "walk" || next.low == "drop") && (next2.low == "in" || next2.text == "-" && st.tok(j+2).low == "in") {
			return true // "the phlebotomy walk-in", "the talking therapies office"
		}
		if st.toks[i].low == "op" && j-i == 1 && (st.tok(i-1).low == "co" || st.tok(i-1).text == "-" && st.tok(i-2).low == "co") {
			return true // "behind the Co-op", "the co op car park": a shop
		}
		if last := st.toks[j-1].low; (last == "op" || last == "ops") && j-i == 1 {
			// "pre-op", "post op": the stage of care, not an operation
			if p := st.tok(i - 1); p.low == "pre" || p.low == "post" || p.text == "-" && (st.tok(i-2).low == "pre" || st.tok(i-2).low == "post") {
				return true
			}
		}

		if workReviews[baseName(st.toks[j-1])] && (next.low == "at" && (next2.low == "work" || next2.low == "school" || next2.low == "college" || next2.low == "uni") || next.low == "for" && next2.low == "work") {
			return true
		}
	case TypeMedicalCondition:
		if next.kind == tokWord && practitionerOnly([]token{next}) {
			return true // "the asthma nurse", "the diabetes podiatrist": a role
		}
		if thingSubject(st, i) || machineComplaint(st, i) || injuredThing(st, i) {
			return true
		}
		if conditionServiceTails[next.low] || j == i+1 && departmentNamed(st, i) {
			return true // "the diabetes education course", "do I ring diabetes or respiratory"
		}
		if j == i+1 && organAfterFor(st, i) {
			return true // "tamsulosin for his prostate": what it treats, by the convention
		}
		if fineStates[st.toks[j-1].low] {
			return true
		}
		if intensifiedOrdinary(st.toks[i:j]) {
			return true // "really hard for her", "really badly"
		}
		if j == i+1 && st.toks[i].low == "ill" && contractedWillVerbs[next.low] {
			return true
		}
	}
	return false
}

// intensifiedOrdinary: a span that opens with an intensifier and has no
// word a medical list knows after it ("really hard for her", "so badly")
// grades something ordinary.
func intensifiedOrdinary(toks []token) bool {
	if len(toks) < 2 || !intensifiers[toks[0].low] {
		return false
	}
	for _, t := range toks[1:] {
		if t.kind != tokWord {
			continue
		}
		if medWord(t.low) || conditionAdjectives[t.low] || itSymptoms[t.low] || sideEffects[t.low] || bodyStates[t.low] || !englishWord(t.low) {
			return false
		}
	}
	return true
}

// bodyStates are everyday words that grade a body after an intensifier
// ("really hot", "really washed out", "really unsettled").
var bodyStates = wordSet(`hot cold washed unsettled flustered weak sleepy floppy grey gray yellow white blue
flushed sweaty cold clammy wobbly shaky off`)

var intensifiers = wordSet(`really very so quite too extremely terribly awfully`)

var fineStates = wordSet(`fine ok okay normal perfect alright good great`)

// serviceAfter: the words from toks[j] on name a role or a service that
// the span qualifies ("the anticoagulation service", "the dialysis nurse",
// "the cancer centre", "the dementia lead", "the bowel cancer screening
// hub"), so the span says what the service treats, not who has it.
func serviceAfter(st *scanState, j int) bool {
	for k := j; k < j+3; k++ {
		t := st.tok(k)
		if careRoles[baseName(t)] || serviceTails[t.low] {
			return true
		}
		if !serviceModifiers[t.low] {
			return false
		}
	}
	return false
}

// serviceModifiers may stand between what a service treats and its head:
// "the bowel cancer screening hub", "the diabetes prevention team".
var serviceModifiers = wordSet(`screening assessment assessments testing treatment therapy therapies vaccination
immunisation immunization management support prevention rehab rehabilitation liaison outreach`)

// serviceTails end a service's name after what it treats: "the cancer
// centre", "the dementia lead", "the memory hub", "the pre assessment
// line".
var serviceTails = wordSet(`centre centres center centers lead leads hub line lines lab labs laboratory
partnership partnerships`)

var careRoles = wordSet(`nurse nurses team teams specialist specialists service services consultant
consultants ward unit department helpline worker workers midwife coordinator doctor doctors surgeon surgeons
registrar`)

var workReviews = wordSet(`review reviews assessment assessments test tests check checks appraisal appraisals`)

// contractedWillVerbs follow "I'll": "ill be", "ill ring", "ill just".
var contractedWillVerbs = wordSet(`be see call ring phone text email come do have need get wait pop send make let
give go take try bring just probably definitely drop book pick collect speak talk leave sort put keep ask
look tell pay check head walk drive still also only never always`)

// tokenRange returns the tokens [i, j) that a byte span covers, or -1.
func (st *scanState) tokenRange(s, e int) (int, int) {
	i, j := -1, -1
	for k, t := range st.toks {
		if t.e <= s {
			continue
		}
		if t.s >= e {
			break
		}
		if i < 0 {
			i = k
		}
		j = k + 1
	}
	return i, j
}

// supplyRunningLow: the span is "(running) low" and a medicine or a
// supply is what runs low ("my inhaler was running low", "the tablets
// are getting low"), unlike "my sugars are running low".
func supplyRunningLow(st *scanState, i, j int) bool {
	if st.toks[j-1].low != "low" {
		return false
	}
	for k := i - 1; k >= 0 && k >= i-4; k-- {
		b := baseName(st.toks[k])
		if genericMedicine[b] || medicationForms[b] || b == "supply" || b == "stock" || b == "prescription" {
			return true
		}
		if clauseBreaks[b] {
			return false
		}
	}
	return false
}

// dogBreeds name a pet the way "dog" does: "a very anxious labrador".
var dogBreeds = wordSet(`labrador labradors lab spaniel spaniels collie collies terrier terriers poodle poodles
retriever retrievers alsatian whippet greyhound greyhounds beagle dachshund pug pugs husky huskies cockapoo
cockapoos labradoodle schnauzer chihuahua staffie staffy rottweiler`)

var pets = wordSet(`dog dogs cat cats puppy puppies kitten kittens rabbit rabbits horse horses pony
hamster hamsters guinea parrot budgie tortoise`)

// petSubject: a pet is the subject just before the span ("my dog had",
// "the cat's", "our puppy needs").
func petSubject(st *scanState, i int) bool {
	// Look back up to seven words ("our cat's on steroids for her asthma",
	// "my cat's just been diagnosed with kidney disease"), but not past a
	// clause where the caller speaks of themselves ("my dog's fine but
	// I've got asthma").
	for k := i - 1; k >= max(0, i-7); k-- {
		t := st.toks[k]
		if clauseBreak(t) {
			return false
		}
		if baseName(t) == "vet" && (strings.HasSuffix(t.low, "'s") || st.tok(k+1).low == "is" || st.tok(k+1).low == "was" || st.tok(k+1).low == "said") && determiners[st.tok(k-1).low] {
			return true // "the vet's doing a biopsy"
		}
		if !pets[baseName(t)] {
			continue
		}
		if p := st.tok(k - 1).low; !determiners[p] {
			continue
		}
		if strings.HasSuffix(t.low, "'s") {
			return true
		}
		switch st.tok(k + 1).low {
		case "had", "has", "have", "needs", "need", "needed", "is", "was", "got", "gets", "keeps":
			return true
		}
	}
	return false
}

// clauseBreak ends a look-back: punctuation between clauses, a
// conjunction, or the caller speaking of themselves.
func clauseBreak(t token) bool {
	if t.kind == tokPunct {
		return t.text != "'" && t.text != "’" && t.text != "-"
	}
	switch t.low {
	case "and", "but", "so", "because", "cos", "i", "i'm", "im", "me", "i've", "ive", "i'd", "myself":
		return true
	}
	return false
}

// vetAfter: "at the vet", "from the vets" just after the span.
func vetAfter(st *scanState, j int) bool {
	for k := j; k < j+4 && k < len(st.toks); k++ {
		switch baseName(st.toks[k]) {
		case "vet", "vets", "veterinary":
			return true
		}
	}
	return false
}

// thingSubject: the condition follows "the heating is", "my bag's", "the
// line was": a thing's state, not the caller's. Only the thing nouns
// count here (not people or times), and the span must start right after
// the copula.
func thingSubject(st *scanState, i int) bool {
	p := st.tok(i - 1)
	subj := p
	switch p.low {
	case "is", "was", "are", "were", "feels", "seems", "looks":
		subj = st.tok(i - 2)
	default:
		if !strings.HasSuffix(p.low, "'s") {
			return false
		}
	}
	b := baseName(subj)
	return subj.kind == tokWord && (thingNouns[b] || carriedThings[b] || eventSubjects[b])
}

// injuredThing: an injury verb whose object is a thing ("burnt the
// Sunday roast", "cut the new worktop short", "snapped the handle"): a
// body is hurt only when a body part, a reflexive or a clinical word
// follows within five words ("burnt the roof of my mouth", "cut
// himself").
func injuredThing(st *scanState, i int) bool {
	if !thingInjuryVerbs[st.toks[i].low] || !determiners[st.tok(i+1).low] {
		return false
	}
	thing := false
	for k := i + 2; k < len(st.toks) && k <= i+6; k++ {
		t := st.toks[k]
		if t.kind != tokWord {
			break
		}
		b := baseName(t)
		if reflexives[t.low] || bodyParts[b] {
			return false
		}
		if determiners[t.low] || stopWords[b] || !englishWord(b) {
			continue
		}
		n, _ := wordnetSense(b)
		if n == wnNounBody || clinicalEvidence(b) {
			return false
		}
		thing = thing || thingSenses[n]
	}
	return thing
}

// thingSenses are the WordNet noun classes of things, food, amounts and
// places: what a knife or an oven can spoil besides a body.
var thingSenses = map[int8]bool{wnNounArtifact: true, wnNounFood: true, wnNounObject: true, wnNounPlant: true,
	wnNounLocation: true, wnNounQuantity: true, wnNounGroup: true}

var thingInjuryVerbs = wordSet(`cut burnt burned burn scalded scorched snapped smashed cracked chipped split broke`)

// conditionServiceTails follow a condition that names a class or a
// programme for those who have it: "the diabetes education course", "the
// asthma class", "the weight loss programme" ("the rabies course" is a
// vaccination, so "course" is not among them).
var conditionServiceTails = wordSet(`education class classes workshop workshops programme programmes`)

// departmentNamed: a condition named as the department that treats it,
// after a verb of calling ("do I ring diabetes") or beside a specialty
// ("diabetes or respiratory"), or after "in" at a clause's end ("who do I
// speak to in diabetes").
func departmentNamed(st *scanState, i int) bool {
	prev, next, next2 := st.tok(i-1).low, st.tok(i+1), st.tok(i+2).low
	end := i+1 >= len(st.toks) || next.kind == tokPunct
	switch {
	case prev == "ring" || prev == "call" || prev == "phone" || prev == "contact":
		return end || next.low == "or" || next.low == "and"
	case (next.low == "or" || next.low == "and") && specialties[next2]:
		return true
	case prev == "in" && end:
		return st.tok(i-2).low == "to" || st.tok(i-2).low == "someone" || st.tok(i-2).low == "anyone"
	}
	return false
}

// organAfterFor: an organ or a body system alone after "for" and a
// possessive ("for his prostate", "for my waterworks"), which the
// labelling convention leaves out like any body part after "for".
func organAfterFor(st *scanState, i int) bool {
	w := baseName(st.toks[i])
	if !systemWords[w] && !organs[w] && !bodyParts[w] {
		return false
	}
	return possessives[st.tok(i-1).low] && st.tok(i-2).low == "for"
}

var systemWords = wordSet(`prostate waterworks thyroid bladder bowels pancreas kidney kidneys liver lungs
stomach tummy skin joints bones nerves memory eyes ears`)

// eventSubjects are sick in slang, or poorly as a figure: "that party was
// sick", "the queue was sick", "the match was painful".
var eventSubjects = wordSet(`party parties gig gigs concert match game queue festival night film show
rave`)

// machineComplaint: a machine has the complaint ("my car's got a bad
// cough", "the router's got a fever", "the engine's making a wheezing
// noise"): the thing is the subject of the clause the span ends.
func machineComplaint(st *scanState, i int) bool {
	for k := i - 1; k >= 0 && k >= i-8; k-- {
		t := st.toks[k]
		if t.kind != tokWord || clauseBreaks[t.low] {
			return false
		}
		b := baseName(t)
		if !thingNouns[b] && !carriedThings[b] && !machines[b] && !figurativeSubjects[b] || bodyThings[b] {
			continue
		}
		if medicationCovers(st, k) {
			return false // "the water tablet makes her dizzy": a medicine, not a device
		}
		if b != t.low {
			return true // "the router's got"
		}
		if k == i-1 && machineMeasures[st.toks[i].low] {
			return true // "the boiler pressure keeps dropping"
		}
		return machineVerbs[st.tok(k+1).low]
	}
	return false
}

// schoolLevel: "A-level", "O level", "AS-level" before toks[i].
func schoolLevel(st *scanState, i int) bool {
	p := st.tok(i - 1)
	hyphen := p.text == "-" && !p.sp
	if hyphen {
		p = st.tok(i - 2)
	}
	if p.low != "a" && p.low != "o" && p.low != "as" {
		return false
	}
	// "at a level nine" is a grade of something else: lower case and no
	// hyphen need an exam word after.
	n := st.tok(i + 1).low
	return hyphen || p.text == "A" || p.text == "O" || p.text == "AS" || n == "results" || n == "exams" || n == "exam" || n == "revision"
}

// practiceNamed: toks[i:j] name a practice before "surgery" after "at",
// "from", "to" or "in": words no list knows and no clinical word.
func practiceNamed(st *scanState, i, j int) bool {
	switch st.tok(i - 1).low {
	case "at", "from", "to", "in":
	default:
		return false
	}
	for _, t := range st.toks[i:j] {
		if t.kind != tokWord || medWord(t.low) || procedureWord(t.low) || !unknownWord(t.low) && !t.upper {
			return false
		}
	}
	return true
}

// jobAfterCopula: the span follows "I'm a", "she's a", "I am a" and maybe a
// modifier or two ("I'm a community physio"): what someone works as. A
// condition may follow so ("I'm a diabetic"); a treatment or a medicine
// never does.
func jobAfterCopula(st *scanState, i int) bool {
	k := i - 1
	for n := 0; n < 2 && k >= 0 && jobModifiers[st.toks[k].low]; n++ {
		k--
	}
	if k < 1 || st.toks[k].low != "a" && st.toks[k].low != "an" {
		return false
	}
	switch p := st.toks[k-1].low; p {
	case "i'm", "im", "she's", "shes", "he's", "hes", "you're", "youre":
		return true
	case "am": // "I am a physio"; "how much is a filling" asks a price
		return k >= 2 && st.toks[k-2].low == "i"
	}
	return false
}

var jobModifiers = wordSet(`community senior specialist student locum trainee qualified private district
practice staff mental msk neuro respiratory paediatric children's retired`)

// machineMeasures are what a machine has that a body has too.
var machineMeasures = wordSet(`pressure pressures temperature temperatures level levels`)

// orgHeads end the name of a charity or another body.
var orgHeads = wordSet(`foundation foundations trust trusts charity charities society association institute appeal fund`)

// roomCode: the span is letters and numbers only ("b twelve", "C 4")
// read from a room, a ward, a bay or a reference just before it.
func roomCode(st *scanState, i, j int) bool {
	letter, num := false, false
	for _, t := range st.toks[i:j] {
		switch {
		case t.kind == tokNum || spokenNumberWord(t.low):
			num = true
		case determiners[t.low]:
		case t.kind == tokWord && len(t.low) == 1:
			letter = true
		default:
			return false
		}
	}
	return letter && num && containsAny(st.windowBefore(st.toks[i].s, 5), roomCues)
}

var roomCues = []string{"room", "ward", "bay", "bed", "floor", "level", "gate", "desk", "room number", "reference", "ref", "code", "booth"}

// figurativeSubjects take a body's complaints as a figure of speech: "the
// economy's bleeding jobs", "our team's got a broken leg this season",
// "the midfield's had a heart attack".
var figurativeSubjects = wordSet(`economy price prices market markets team squad midfield defence defense club
business shop company council government country`)

// bodyThings may carry a complaint: "my stoma bag keeps leaking", "the
// PEG site's got crusty stuff round it".
var bodyThings = wordSet(`bag bags site line`)

var machines = wordSet(`barrier barriers answerphone music volvo ford router van bike motorbike scooter hoover fridge freezer dishwasher washer dryer
printer telly tv mower lawnmower generator exhaust motor clutch gearbox`)

var machineVerbs = wordSet(`is are were keep has had having been was keeps makes making made sounds sounded started starts got`)

// clauseBreaks end the clause a subject governs.
var clauseBreaks = wordSet(`and but so because cos or then i he she we they you me him us them my his our their
your who which that`)

var carriedThings = wordSet(`bag bags suitcase case box parcel shopping wifi broadband connection
battery tablet ipad camera video sound volume music tv telly radio`)

// notAPerson: a span taken for a name that is a pronoun, a role, a day,
// a festival or a thing ("the GP", "he", "Ramadan", "the telly"), a department ("Orthopaedics",
// "Outpatients", "Minor Injuries"), a ward or a room ("Ward 7B", "Larch
// Ward", "the Blood Room"), or a saint in a hospital's name ("St Mary's").
func notAPerson(st *scanState, c candidate) bool {
	i, j := st.tokenRange(c.s, c.e)
	if i < 0 {
		return false
	}
	if p := strings.TrimSuffix(st.tok(i-1).low, "."); p == "st" || p == "saint" {
		return true
	}
	last := baseName(st.toks[j-1])
	if lostApostrophes[last] {
		return true // "said theyd": "they'd" as speech-to-text writes it
	}
	if j == i+1 {
		if notNames[last] || specialty(st, i) {
			return true
		}
		// "visiting from Milan", "moved over from Sydney": where someone
		// came from is a place, even when it is also a given name.
		if st.tok(i-1).low == "from" && travelledFrom[st.tok(i-2).low] {
			return true
		}
		// "at home in Valencia", "the optician in Malmö": a town after
		// "in", with no surname after it.
		if st.tok(i-1).low == "in" && !capWord(st.tok(j)) && !strings.HasSuffix(st.toks[i].low, "'s") {
			return true
		}
		// "senior carer at willow lodge": a home's or a place's name.
		if placeHeads[st.tok(j).low] && (st.tok(i-1).low == "at" || st.tok(i-1).low == "from") {
			return true
		}
	}
	titled := titles[strings.TrimSuffix(st.toks[i].low, ".")] || titles[strings.TrimSuffix(st.tok(i-1).low, ".")]
	if !titled && (organisationOrPlace(st, i, j) || st.toks[i].low == "ward" && j > i+1 && isWardCode(st.toks[i+1])) {
		return true
	}
	// "Bonjour, I am French", "Hallo, ich bin ...": a greeting that opens
	// the call, in whatever language.
	if j == i+1 && foreignGreetings[st.toks[i].low] && (i == 0 || st.toks[i-1].text == "." || st.toks[i-1].text == "!") && st.tok(j).kind == tokPunct {
		return true
	}
	if j == i+2 && st.toks[i].low == "guten" {
		return true // "Guten Tag, I am calling from Munich"
	}
	// "the ella one", "a tor va statin", "is it the Costa?": one word
	// after a lower-case article is a thing or a shop when it is lower
	// case too, or ends the phrase; a person's name takes no article. A
	// capitalised one before a noun may be an author's ("the Castro
	// novel"), so it stays.
	if a := st.tok(i - 1); j == i+1 && !titled && (a.text == "the" || a.text == "a" || a.text == "an") && !strings.HasSuffix(st.toks[i].low, "'s") {
		if n := st.tok(j); !st.toks[i].upper || n.kind == tokPunct || n.low == "one" || n.low == "near" || n.low == "or" {
			return true
		}
	}
	// "the met for min is giving me", "a tor va statin": a lower-case word
	// that ends or starts a medicine's sounds is part of the medicine.
	if j == i+1 && !st.toks[i].upper && inSpokenMedicine(st.toks, i) {
		return true
	}
	// "the pharmacist at Lloyds", "a senior carer at Ashdown Lodge": after
	// "at" a name is where someone works or stays, unless a title or a
	// possessive makes it a person ("at Dr Shah's", "look at Maisie").
	if st.tok(i-1).low == "at" && !titled && !strings.HasSuffix(st.toks[j-1].low, "'s") && !lookVerbs[st.tok(i-2).low] {
		return true
	}
	if (last == "ward" || last == "room" || last == "unit" || last == "wing") && !titled && !(j-i == 2 && isFirstName(st.toks[i])) {
		return true // "Larch Ward", "the Blood Room"; "Emma Ward" and "Mrs Ward" stay
	}
	if last == "ward" && j == i+1 && isWardCode(st.tok(j)) {
		return true // "on Ward 7B"
	}
	for k := i; k < j; k++ {
		if w := baseName(st.toks[k]); departmentWords[w] {
			return true
		}
	}
	return false
}

// isWardCode: "7B", "22", "nine": what follows a ward's name.
func isWardCode(t token) bool {
	return t.kind == tokNum || isNumberToken(t) || len(t.text) <= 3 && hasDigit(t.low)
}

// travelledFrom: words before "from" when a place follows.
var travelledFrom = wordSet(`visiting visit visited moved moving move over back came come coming flying flew
flown travelled traveled travelling traveling arrived arriving returned returning relocated emigrated here home
am i'm im comes originally`)

var notNames = wordSet(`gp gps he she they him her it telly tv nhs monday tuesday wednesday thursday friday
saturday sunday ramadan eid diwali christmas easter hanukkah passover lent mate mam mammy erasmus`)

// foreignGreetings open a call in the caller's language; alone before a
// comma they are no one's name.
var foreignGreetings = wordSet(`bonjour bonsoir hola hallo ciao buongiorno buonasera hej hei salut goedemorgen dag
	goedendag goedemiddag servus moin merhaba witam ahoj szia hiya howya`)

// lookVerbs take "at" before a person: "could a GP look at Maisie".
var lookVerbs = wordSet(`look looks looking looked glance peek stare staring shouting shouted laughing laughed
	aimed pointed`)

// lostApostrophes are contractions written without their apostrophe.
var lostApostrophes = wordSet(`theyd youd hed itd whod thatd youll theyll itll shouldve wouldve couldve ive youve weve theyve`)

var departmentWords = wordSet(`outpatients outpatient injuries orthopaedics orthopedics radiology pathology
phlebotomy maternity paediatrics pediatrics oncology cardiology urology haematology chiropody podiatry
physiotherapy`)

// placeAfterArticle: a capitalised name right after "the" or "a" that
// ends in a place word ("the Cedar Ward entrance", "a Recovery Café") is
// a place; a person's name takes no article unless a title leads it
// ("the Dr Patel I saw").
func placeAfterArticle(st *scanState, c candidate) bool {
	i, j := st.tokenRange(c.s, c.e)
	if i < 1 {
		return false
	}
	switch st.toks[i-1].low {
	case "the", "a", "an":
	default:
		return false
	}
	last := baseName(st.toks[j-1])
	if !clinicNameHeads[last] && !placeInClinic[last] && !streetSuffixes[last] && !placeHeads[last] {
		return false
	}
	return !titles[strings.TrimSuffix(st.toks[i].low, ".")]
}

var placeHeads = wordSet(`ward wing suite café cafe centre center hall house lodge court building
tower hub library school church chapel shop store bar pub hotel`)

// numbersOnly: a span of numbers alone, or with an article ("a 15", "the
// 12": a room, an age, a count), names nothing medical.
func numbersOnly(toks []token) bool {
	num := false
	for _, t := range toks {
		switch {
		case t.kind == tokNum || spokenNumberWord(t.low):
			num = true
		case t.low == "only" || t.low == "about" || t.kind == tokPunct || determiners[t.low]:
		default:
			return false
		}
	}
	return num
}

var practitionerSuffixes = []string{"ologist", "ologists", "iatrist", "iatrists", "ician", "icians", "ographer", "ographers", "therapist", "therapists"}

var practitionerWords = wordSet(`pharmacist pharmacists dentist dentists chemist chemists locum locums consultant
	consultants registrar registrars midwife midwives nurse nurses paramedic paramedics surgeon surgeons doctor doctors
	carer carers gp gps gp's hygienist hygienists receptionist receptionists optician opticians optometrist
	optometrists dietitian dietitians dietician dieticians`)

// practitionerOnly: a span that is one practitioner ("the locum", "the
// endocrinologist") names a person's job, not their health.
func practitionerOnly(toks []token) bool {
	w, n := "", 0
	for _, t := range toks {
		if t.kind == tokWord && !determiners[t.low] {
			w, n = t.low, n+1
		}
	}
	if n != 1 {
		return false
	}
	if practitionerWords[w] {
		return true
	}
	for _, suf := range practitionerSuffixes {
		if strings.HasSuffix(w, suf) {
			return true
		}
	}
	return false
}

// practitionerShorthand: "physio", "gynae", "neuro" name the practitioner
// rather than the treatment or a medicine when someone speaks or acts ("the
// physio said", "the gynae in clinic gave me", "her neuro nurse"), or is
// chosen ("the same physio as last time").
func practitionerShorthand(st *scanState, i, j int) bool {
	if !shorthands[st.toks[j-1].low] {
		return false
	}
	if j-i > 2 {
		return false
	}
	p := st.tok(i - 1).low
	if j-i == 2 {
		p = st.toks[i].low
	}
	if p == "same" || p == "last" || p == "another" || p == "different" || p == "new" {
		return true
	}
	// "my physio, Tom, said"
	n := st.tok(j)
	if (n.low == "was" || n.low == "is") && (st.tok(j+1).low == "meant" || st.tok(j+1).low == "supposed") {
		return true // "the physio was meant to come out": who visits
	}
	if a := st.tok(i - 1).low; j-i == 1 && (a == "a" || a == "the") && st.tok(i-2).low == "by" {
		return true // "seen by a physio": who sees the patient
	}
	if n.low == "to" && paperActs[st.tok(j+1).low] {
		return true // "needs the physio to sign it": who signs
	}
	return physioActs[n.low] || careRoles[n.low] || n.text == "," && st.tok(j+1).upper
}

var roadPrepositions = wordSet(`after before over under across past by near`)

var shorthands = wordSet(`physio physios physiotherapist gynae gyno neuro derm ortho cardio rheumy psych gastro
haem onc uro resp`)

var physioActs = wordSet(`said says told gave gives give thinks thought reckons reckoned wants wanted
suggested recommended mentioned asked advised showed explained did does do can could will would should in at
from who has had rang phoned called came visited`)

// boundPrefixes join a word only with a hyphen ("pre-op", "non-verbal").
var boundPrefixes = wordSet(`pre post non anti self semi re co ex`)

// boundPrefixOnly: the span is a bound prefix, an article or possessive
// at most before it, cut from the word its hyphen joins ("a pre" of "a
// pre-authorisation number"). The joined word decides, not the prefix.
func boundPrefixOnly(st *scanState, i, j int) bool {
	if n := st.tok(j); n.text != "-" || n.sp {
		return false
	}
	k := i
	if d := st.toks[k].low; d == "a" || d == "an" || d == "the" || possessives[d] {
		k++
	}
	return k == j-1 && boundPrefixes[st.toks[k].low]
}

var colourWords = wordSet(`red yellow green blue purple orange pink white`)

var recordWords = wordSet(`book books booklet booklets card cards folder bag`)
