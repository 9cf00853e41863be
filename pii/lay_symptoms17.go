package pii

// Frames read off the seventeenth round's first fresh wave: a baby that
// moves less, a relapse, a drinking amount, a run of falls, a pregnancy
// by its weeks, a baby measured small, a device rubbing the skin.

func findLaySymptoms17(st *scanState) {
	findBabyMovements(st)
	findUsingAgain(st)
	findDrinkingAmounts(st)
	findFallingOften(st)
	findWeeksGone(st)
	findMeasuringSmall(st)
	findRubbingSkin(st)
	findChangedMole(st)
	findShaky(st)
	findSatsDown(st)
	findDrinkingHeavily(st)
	findNotPassedWater(st)
}

var notFeltWords = wordSet(`not haven't havent hasn't hasnt can't cant cannot didn't didnt never couldn't couldnt`)

// findBabyMovements: "I've not felt the baby move much today", "she cant
// feel the baby moving": fewer movements in pregnancy, from the negation
// to the movement and how much.
func findBabyMovements(st *scanState) {
	toks := st.toks
	for i := 0; i+3 < len(toks); i++ {
		if !notFeltWords[toks[i].low] {
			continue
		}
		k := i + 1
		if toks[k].low == "really" {
			k++
		}
		if v := st.tok(k).low; v != "felt" && v != "feel" && v != "feeling" {
			continue
		}
		k++
		if d := st.tok(k).low; d == "the" || d == "my" || d == "her" || d == "our" {
			k++
		}
		if st.tok(k).low != "baby" {
			continue
		}
		k++
		switch st.tok(k).low {
		case "move", "moving", "movements", "movement", "kick", "kicking", "kicks":
		default:
			continue
		}
		end := k
		if st.tok(k+1).low == "much" {
			end = k + 1
		} else if st.tok(k+1).low == "as" && st.tok(k+2).low == "much" {
			end = k + 2
		}
		st.add(TypeMedicalCondition, toks[i].s, toks[end].e, 0.6, prioMedical)
		i = end
	}
}

var usingAgainSubjects = wordSet(`he's hes she's shes i'm im they're theyre been is was started start he she i they`)

// findUsingAgain: "he's using again", "she's been using again": drugs
// taken again after stopping. An object after it is something used
// ("using again the old inhaler" is not a relapse).
func findUsingAgain(st *scanState) {
	toks := st.toks
	for i := 1; i+1 < len(toks); i++ {
		if toks[i].low != "using" || toks[i+1].low != "again" || !usingAgainSubjects[toks[i-1].low] {
			continue
		}
		if n := st.tok(i + 2); n.kind == tokWord && (possessives[n.low] || n.low == "the" || n.low == "a" || n.low == "it" || n.low == "them" || n.low == "that") {
			continue
		}
		st.add(TypeMedicalCondition, toks[i].s, toks[i+1].e, 0.6, prioMedical)
	}
}

var drinkMeasures = wordSet(`bottle bottles can cans pint pints litre litres liter liters glass glasses units unit`)
var drinkPeriods = wordSet(`day night week evening`)

// findDrinkingAmounts: "drinking a bottle of wine a night", "he drinks
// eight cans a day": an amount of drink by the day or night. The period
// must follow, so "drinking a glass of water" stays out.
func findDrinkingAmounts(st *scanState) {
	toks := st.toks
	for i := 0; i+4 < len(toks); i++ {
		switch toks[i].low {
		case "drinking", "drinks", "drank", "drink":
		default:
			continue
		}
		k := i + 1
		if toks[k].low == "half" && st.tok(k+1).low == "a" {
			k += 2
		} else if a := toks[k]; a.low == "a" || a.low == "one" || a.kind == tokNum || spokenNumberWord(a.low) {
			k++
			for spokenNumberWord(st.tok(k).low) {
				k++
			}
		} else {
			continue
		}
		if !drinkMeasures[st.tok(k).low] {
			continue
		}
		k++
		if st.tok(k).low == "of" && st.tok(k+1).kind == tokWord {
			k += 2
		}
		if p := st.tok(k).low; p != "a" && p != "every" && p != "each" && p != "per" || !drinkPeriods[st.tok(k+1).low] {
			continue
		}
		st.add(TypeMedicalCondition, toks[i].s, toks[k+1].e, 0.6, prioMedical)
		i = k + 1
	}
}

// findFallingOften: "she's falling a lot", "he's been falling all the
// time": falls said by how often. Things fall off ("the patches keep
// falling off"), so a person must be the subject.
func findFallingOften(st *scanState) {
	toks := st.toks
	for i := 1; i+2 < len(toks); i++ {
		if toks[i].low != "falling" {
			continue
		}
		p, pp := toks[i-1].low, st.tok(i-2)
		// "she's falling", "she's been falling", "my father's been falling"
		if !personCopulas[p] && !(p == "been" && (personCopulas[pp.low] || relationCues[baseName(pp)] && pp.low != baseName(pp))) {
			continue
		}
		k := i + 1
		if toks[k].low == "over" {
			k++
		}
		switch {
		case st.tok(k).low == "a" && st.tok(k+1).low == "lot":
			k++
		case st.tok(k).low == "all" && st.tok(k+1).low == "the" && st.tok(k+2).low == "time":
			k += 2
		case st.tok(k).low == "loads":
		default:
			continue
		}
		st.add(TypeMedicalCondition, toks[i].s, toks[k].e, 0.6, prioMedical)
		i = k
	}
}

// findWeeksGone: "I'm twelve weeks gone", "she's 30 weeks gone": a
// pregnancy told by its weeks.
func findWeeksGone(st *scanState) {
	toks := st.toks
	for i := 2; i+1 < len(toks); i++ {
		if w := toks[i].low; w != "weeks" && w != "months" || toks[i+1].low != "gone" {
			continue
		}
		s := i - 1
		if toks[s].kind != tokNum && !spokenNumberWord(toks[s].low) {
			continue
		}
		for s > 0 && spokenNumberWord(toks[s-1].low) {
			s--
		}
		if s == 0 {
			continue
		}
		if p := toks[s-1].low; !personCopulas[p] && p != "about" && p != "nearly" && p != "only" && p != "am" && p != "is" {
			continue
		}
		st.add(TypeMedicalCondition, toks[s].s, toks[i+1].e, 0.6, prioMedical)
	}
}

// findMeasuringSmall: "the baby's measuring small", "the bump is
// measuring big": growth in pregnancy, said of the baby or the bump.
func findMeasuringSmall(st *scanState) {
	toks := st.toks
	for i := 1; i+1 < len(toks); i++ {
		if toks[i].low != "measuring" {
			continue
		}
		switch toks[i+1].low {
		case "small", "big", "large", "behind", "ahead":
		default:
			continue
		}
		for k := i - 1; k >= 0 && k >= i-3; k-- {
			if b := baseName(toks[k]); b == "baby" || b == "bump" {
				st.add(TypeMedicalCondition, toks[i].s, toks[i+1].e, 0.6, prioMedical)
				break
			}
		}
	}
}

// findRubbingSkin: "they're rubbing her gums raw", "it's rubbing his
// heel": a denture, a boot or a cast chafing a body part. Rubbing a
// cream on is a treatment's use ("rubbing Voltarol on my knee"): the
// body part must follow its possessive straight after "rubbing".
func findRubbingSkin(st *scanState) {
	toks := st.toks
	for i := 0; i+2 < len(toks); i++ {
		if toks[i].low != "rubbing" {
			continue
		}
		k := i + 1
		if toks[k].low == "on" {
			k++
		}
		if !possessives[st.tok(k).low] {
			continue
		}
		k++
		if b := st.tok(k).low; !bodyParts[b] && !anatomy[b] && b != "gums" && b != "gum" && b != "heel" && b != "heels" && b != "skin" {
			continue
		}
		if st.tok(k+1).low == "raw" {
			k++
		}
		st.add(TypeMedicalCondition, toks[i].s, toks[k].e, 0.6, prioMedical)
	}
}

var moleWords = wordSet(`mole moles freckle freckles birthmark wart warts lump spot patch`)

// findChangedMole: "a mole that's changed shape", "it's changed colour":
// a skin mark that changes is a sign to check. A mole, freckle or the
// like must be named before it in the sentence; a plan or a room that
// changed shape is not.
func findChangedMole(st *scanState) {
	toks := st.toks
	for i := 1; i+1 < len(toks); i++ {
		if w := toks[i].low; w != "changed" && w != "changing" {
			continue
		}
		switch toks[i+1].low {
		case "shape", "colour", "color", "size":
		default:
			continue
		}
		named := false
		for k := i - 1; k >= 0 && k >= i-10; k-- {
			if toks[k].text == "." || toks[k].text == "?" {
				break
			}
			if moleWords[toks[k].low] {
				named = true
				break
			}
		}
		if named {
			st.add(TypeMedicalCondition, toks[i].s, toks[i+1].e, 0.6, prioMedical)
		}
	}
}

// colouredParts are what changes colour when something is wrong: a sore,
// a nail, the lips, the skin. Hair that goes grey is age, so it is not
// here.
var colouredParts = wordSet(`sore sores wound wounds ulcer ulcers bruise bruises nail nails toenail toenails
	fingernail fingernails toe toes finger fingers lip lips skin tooth teeth heel heels scar mole lump
	tongue gums gum poo stool stools wee urine eye eyes foot feet hand hands leg legs knee ankle arm`)

var bodyColours = wordSet(`black blue grey gray purple white yellow green red`)

// findBodyColour: "a sore on his heel that's gone black", "the wound's
// gone black", "his fingers are going blue": a body part or a wound that
// changes colour, named up to six words before in the same sentence. It
// runs after the tagger and only where nothing else was found, so the
// longer spans the tagger draws ("the wounds gone all red and hot") keep
// their bounds.
func findBodyColour(st *scanState) {
	toks := st.toks
	for i := 1; i+1 < len(toks); i++ {
		if v := toks[i].low; v != "gone" && v != "going" && v != "turned" && v != "turning" {
			continue
		}
		m := i + 1
		if toks[m].low == "all" {
			m++
		} else if toks[m].low == "a" && st.tok(m+1).low == "bit" {
			m += 2
		}
		if m >= len(toks) || !bodyColours[toks[m].low] || st.covered(toks[i].s, toks[m].e) {
			continue
		}
		for k := i - 1; k >= 0 && k >= i-6; k-- {
			if t := toks[k]; t.text == "." || t.text == "?" || t.text == "!" {
				break
			}
			if colouredParts[baseName(toks[k])] {
				st.add(TypeMedicalCondition, toks[i].s, toks[m].e, 0.6, prioMedical)
				break
			}
		}
	}
}

var shakyWords = wordSet(`shaky shaking trembly trembling`)

var shakySubjects = wordSet(`i'm im he's hes she's shes they're theyre getting feel feeling feels felt been
	go goes gets got`)

// findShaky: "she's shaky before meals", "I'm getting shaky and sweaty",
// "I've been shaking in the mornings": a person shaking. A line, a
// signal or a head ("shaking his head") is not.
func findShaky(st *scanState) {
	toks := st.toks
	for i := 1; i < len(toks); i++ {
		if !shakyWords[toks[i].low] {
			continue
		}
		k := i - 1
		if w := toks[k].low; (w == "really" || w == "very" || w == "so" || w == "all" || w == "quite") && k > 0 {
			k--
		} else if w == "bit" && k > 1 && toks[k-1].low == "a" {
			k -= 2
		}
		if !shakySubjects[toks[k].low] {
			continue
		}
		if n := st.tok(i + 1).low; possessives[n] || n == "the" || n == "hands" || n == "line" || n == "signal" {
			continue
		}
		end := i
		if st.tok(i+1).low == "and" && (st.tok(i+2).low == "sweaty" || st.tok(i+2).low == "clammy" || st.tok(i+2).low == "wobbly") {
			end = i + 2
		}
		st.add(TypeMedicalCondition, toks[k+1].s, toks[end].e, 0.6, prioMedical) // "all shaky" whole
	}
}

// findSatsDown: "his sats are down at eighty eight", "her sats are low":
// oxygen saturation reported low.
func findSatsDown(st *scanState) {
	toks := st.toks
	for i := 0; i+2 < len(toks); i++ {
		if toks[i].low != "sats" && toks[i].low != "saturations" && toks[i].low != "sat's" {
			continue
		}
		k := i + 1
		if w := toks[k].low; w == "are" || w == "were" || w == "have" || w == "keep" {
			k++
		}
		if w := st.tok(k).low; w == "down" || w == "low" || w == "dropping" || w == "dropped" || w == "falling" {
			st.add(TypeMedicalCondition, toks[i].s, toks[k].e, 0.6, prioMedical)
		}
	}
}

// findDrinkingHeavily: "he's been drinking a lot", "she's drinking
// heavily again", "I'm drinking too much": how much a person drinks.
// "drinking" must follow a person or "been", so "stop drinking a lot of
// fizzy pop" advice is left alone.
func findDrinkingHeavily(st *scanState) {
	toks := st.toks
	for i := 1; i+1 < len(toks); i++ {
		if toks[i].low != "drinking" {
			continue
		}
		if p := toks[i-1].low; !personCopulas[p] && p != "been" {
			continue
		}
		k := i + 1
		switch {
		case toks[k].low == "a" && st.tok(k+1).low == "lot":
			k++
		case toks[k].low == "too" && st.tok(k+1).low == "much":
			k++
		case toks[k].low == "heavily" || toks[k].low == "loads":
		default:
			continue
		}
		st.add(TypeMedicalCondition, toks[i].s, toks[k].e, 0.6, prioMedical)
	}
}

// findNotPassedWater: "he hasn't passed water since yesterday", "she's
// not passed urine": no urine passed.
func findNotPassedWater(st *scanState) {
	toks := st.toks
	for i := 0; i+2 < len(toks); i++ {
		switch toks[i].low {
		case "not", "hasn't", "hasnt", "haven't", "havent", "hadn't", "hadnt":
		default:
			continue
		}
		if toks[i+1].low != "passed" {
			continue
		}
		if w := toks[i+2].low; w == "water" || w == "urine" {
			st.add(TypeMedicalCondition, toks[i].s, toks[i+2].e, 0.6, prioMedical)
		}
	}
}
