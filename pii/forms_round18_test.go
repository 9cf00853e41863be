package pii

import "testing"

// TestFormsRound18SpokenRoles: a practitioner's word and a verb with its
// object pronoun are said as themselves; a split drug name still joins.
func TestFormsRound18SpokenRoles(t *testing.T) {
	runFormCases(t, []formCase{
		{"the doctor on call", "who is the doctor on call this evening", TypeMedication, ""},
		{"the locum one", "is it the locum one or our usual gp", TypeMedication, ""},
		{"told him once", "the label says twice a day but the nurse told him once", TypeMedication, ""},
		{"gave them", "the chemist gave them twice daily", TypeMedication, ""},
		{"a split drug still joins", "she's on the met for min five hundred twice a day", TypeMedication, "met for min five hundred"},
	})
}

// TestFormsRound18NotDrugNames: a nationality and a shift are not
// medicines by a cue; a brand by the same cue still is.
func TestFormsRound18NotDrugNames(t *testing.T) {
	runFormCases(t, []formCase{
		{"take an insurer", "do you take Irish Life or just the VHI", TypeMedication, ""},
		{"on earlies", "ring me after two please, I'm on earlies all week", TypeMedication, ""},
		{"on lates", "she can't come in the evening, she's on lates", TypeMedication, ""},
		{"a brand by its cue", "I'm on Zapain two tablets four times a day", TypeMedication, "Zapain"},
	})
}

// TestFormsRound18MedicineSubjects: a medicine that makes someone unwell
// is not a device complaining; a phone that makes a noise still is.
func TestFormsRound18MedicineSubjects(t *testing.T) {
	runFormCases(t, []formCase{
		{"water tablet makes her dizzy", "she says the water tablet makes her dizzy in the mornings", TypeMedicalCondition, "makes her dizzy"},
		{"the new tablets make me sick", "the new tablets make me sick every time", TypeMedicalCondition, "make me sick"},
		{"tablet computer", "my tablet makes a funny noise when I open the app", TypeMedicalCondition, ""},
	})
}

// TestFormsRound18Times: "it's gone two" is a time; a pain gone is not
// claimed here either way.
func TestFormsRound18Times(t *testing.T) {
	runFormCases(t, []formCase{
		{"gone two", "she was meant to ring at ten and its gone two now", TypeMedicalCondition, ""},
		{"gone half ten", "it's gone half ten and nobody's come", TypeMedicalCondition, ""},
	})
}

// TestFormsRound18KinNames: a lower-case word after a relative is the
// relative's name, not a medicine; a medicine after a possessive is.
func TestFormsRound18KinNames(t *testing.T) {
	runFormCases(t, []formCase{
		{"my boy oisin", "my boy oisin swallowed a coin this morning", TypeMedication, ""},
		{"our girl aoibhe", "our girl aoibhe has been up all night", TypeMedication, ""},
		{"my son's inhaler", "my son's inhaler is empty", TypeMedication, "inhaler"},
	})
}

// TestFormsRound18Physio: the physio who was meant to come is the
// practitioner; physio as a treatment stays a procedure.
func TestFormsRound18Physio(t *testing.T) {
	runFormCases(t, []formCase{
		{"physio was meant to come", "the physio was meant to come out yesterday but never turned up", TypeProcedure, ""},
		{"physio rang", "the physio rang to say she's running late", TypeProcedure, ""},
		{"physio as treatment", "I've been having physio on my shoulder for six weeks", TypeProcedure, "physio"},
	})
}

// TestFormsRound18Idioms: figurative phrases with clinical words.
func TestFormsRound18Idioms(t *testing.T) {
	runFormCases(t, []formCase{
		{"like nobody's business", "my inhaler, I'm going through it like nobody's business", TypeMedicalCondition, ""},
		{"a small c", "it's mcguire with a small c", TypeMedicalCondition, ""},
		{"heart attack at the bill", "I had a heart attack when I saw the invoice", TypeMedicalCondition, ""},
		{"a real heart attack", "my dad had a heart attack last year", TypeMedicalCondition, "heart attack"},
		{"pulled her cord", "the warden says she pulled her cord at six this morning", TypeMedicalCondition, ""},
	})
}

// TestFormsRound18Removals: staples and clips out, a device that needs
// changing, and the words for a rescue pack and a puffer.
func TestFormsRound18Removals(t *testing.T) {
	runFormCases(t, []formCase{
		{"staples out", "the nurse is meant to take my staples out on Friday", TypeProcedure, "staples out"},
		{"catheter needs changing", "his catheter needs changing before the weekend", TypeProcedure, "catheter needs changing"},
		{"stitches need taking out", "the stitches need taking out next week", TypeProcedure, "stitches need taking out"},
		{"the car needs changing", "the car needs changing, it's too small", TypeProcedure, ""},
		{"rescue pack", "should he start his rescue pack now", TypeMedication, "rescue pack"},
		{"puffers", "my puffers are nearly empty", TypeMedication, "puffers"},
	})
}

// TestFormsRound18Colds: a cold before a clause or after "a bit of" is
// the complaint; a cold drink or a cold day is the weather.
func TestFormsRound18Colds(t *testing.T) {
	runFormCases(t, []formCase{
		{"a cold should we come", "hes got a cold should we still bring him", TypeMedicalCondition, "a cold"},
		{"a bit of a cold", "she's had a bit of a cold since Monday", TypeMedicalCondition, "a cold"},
		{"a cold drink", "can he have a cold drink before the scan", TypeMedicalCondition, ""},
		{"a cold day", "it was a cold day so we stayed in", TypeMedicalCondition, ""},
	})
}

// TestFormsRound18SpokenCues: a dose cut down and a medicine that does
// not work say a split name is a medicine.
func TestFormsRound18SpokenCues(t *testing.T) {
	runFormCases(t, []formCase{
		{"cut down the war for in", "they told me to cut down the war for in after the blood test", TypeMedication, "war for in"},
		{"done pezzle isn't working", "the done pezzle doesnt seem to be doing anything", TypeMedication, "done pezzle"},
		{"the war for", "the war for independence is on the telly", TypeMedication, ""},
	})
}

// TestFormsRound18Speech: speech that comes out wrong is a complaint;
// words that come out in a letter are not.
func TestFormsRound18Speech(t *testing.T) {
	runFormCases(t, []formCase{
		{"words coming out wrong", "her words are coming out wrong since this morning", TypeMedicalCondition, "her words are coming out wrong"},
		{"speech jumbled", "his speech is jumbled and he's confused", TypeMedicalCondition, "his speech is jumbled"},
		{"the words of a letter", "the words in the letter are wrong, can you resend it", TypeMedicalCondition, ""},
	})
}

// TestFormsRound18Tiredness: feeling shattered is tiredness; shattered
// after a long flight or a shattered screen is not claimed.
func TestFormsRound18Tiredness(t *testing.T) {
	runFormCases(t, []formCase{
		{"feel shattered", "the results were normal but I feel shattered all the time", TypeMedicalCondition, "shattered"},
		{"shattered after the flight", "we only got back last night so I'm absolutely shattered, but can I book the jab", TypeMedicalCondition, ""},
		{"a shattered screen", "my phone screen shattered so I can't use the app", TypeMedicalCondition, ""},
	})
}

// TestFormsRound18Figures: a headache given by a system, a repeat gone
// missing, a headless chicken and a page timing out are not complaints;
// a headache from tablets is.
func TestFormsRound18Figures(t *testing.T) {
	runFormCases(t, []formCase{
		{"system giving me a headache", "the booking system is giving me a headache", TypeMedicalCondition, ""},
		{"parking gives me a headache", "the parking here gives me a headache every time", TypeMedicalCondition, ""},
		{"tablets give a headache", "the new tablets are giving me a headache", TypeMedicalCondition, "headache"},
		{"repeat gone missing", "i think my repeats gone missing i ordered it monday", TypeMedicalCondition, ""},
		{"headless chicken", "I've been running around like a headless chicken", TypeMedicalCondition, ""},
		{"timing out", "the form keeps timing out on the last page", TypeMedicalCondition, ""},
	})
}

// TestFormsRound18Payments: what a clinic takes is a payment; what a
// patient takes is a medicine.
func TestFormsRound18Payments(t *testing.T) {
	runFormCases(t, []formCase{
		{"do you take Bupa", "do you take Bupa or is it self-pay", TypeMedication, ""},
		{"the practice takes", "does the practice take Vitality", TypeMedication, ""},
		{"I take a brand", "I take Zapain for my knee", TypeMedication, "Zapain"},
		{"physio to sign", "the insurer needs the physio to sign the form", TypeProcedure, ""},
	})
}

// TestFormsRound18Wave3: injuries and a loss named in plain words, the
// emergency pill with its hyphen; a bank transfer and a street in lower
// case are not medical.
func TestFormsRound18Wave3(t *testing.T) {
	runFormCases(t, []formCase{
		{"a splinter", "I've got a splinter stuck under my nail", TypeMedicalCondition, "splinter"},
		{"lost the baby", "we lost the baby in the summer so please take us off the list", TypeMedicalCondition, "lost the baby"},
		{"didn't pass out", "no he didn't pass out but he's been sick", TypeMedicalCondition, "pass out"},
		{"morning-after pill", "can I get the morning-after pill from you", TypeMedication, "morning-after pill"},
		{"bank transfer", "can I pay by bank transfer instead", TypeProcedure, ""},
		{"embryo transfer", "she had the embryo transfer on Monday", TypeProcedure, "embryo transfer"},
		{"harley street", "the private clinic on harley street sent the letter", TypeMedication, ""},
		{"a split drug ending like a street word", "the dacta court for under his tummy fold has run out", TypeMedication, "dacta court"},
	})
}

// TestFormsRound18Wave4: a room that kind of spins, a knock taken, PrEP
// as its users write it; a strength read off a label, a life never ill,
// a physio who sees the patient and tablets lost are not claimed.
func TestFormsRound18Wave4(t *testing.T) {
	runFormCases(t, []formCase{
		{"room kind of spins", "the room kind of spins when I get up", TypeMedicalCondition, "room kind of spins"},
		{"took a knock", "he took a knock at football on Saturday", TypeMedicalCondition, "took a knock"},
		{"took a stick", "he took a stick to the mouth at hockey", TypeMedicalCondition, ""},
		{"PrEP", "can I get PrEP from you or the clinic in town", TypeMedication, "PrEP"},
		{"meal prep", "sorry I was doing my meal prep, can you call back", TypeMedication, ""},
		{"says ten", "the box for the amlo dipine says ten milligram but I take five", TypeMedication, "amlo dipine"},
		{"says ten not a drug", "the label says ten milligram but I take five", TypeMedication, ""},
		{"never ill a day", "he's never been ill a day in his life", TypeMedicalCondition, ""},
		{"seen by a physio", "can I be seen by a physio this week", TypeProcedure, ""},
		{"lost them", "she says she's lost them and needs more", TypeMedicalCondition, ""},
		{"lost her voice", "she's lost her voice since Monday", TypeMedicalCondition, "lost her voice"},
	})
}

// TestFormsRound18Identity: a Steuer-ID after "tax", a date of birth with
// its day said as a cardinal, a European health card's number; a
// cardinal before a month with no year, and a 20-digit number that is no
// card's, are left alone.
func TestFormsRound18Identity(t *testing.T) {
	runFormCases(t, []formCase{
		{"my tax one", "I only have my tax one, it is 89 706 645 318", TypeNationalID, "89 706 645 318"},
		{"cardinal day of birth", "date of birth twelve march nineteen ninety", TypeDateOfBirth, "twelve march nineteen ninety"},
		{"twenty one june", "born twenty one june eighty two", TypeDateOfBirth, "twenty one june eighty two"},
		{"cardinal day no year", "we have two March appointments and one in April", TypeDateOfBirth, ""},
		{"EHIC spaced", "the number on my European health card is 80276 00123 45678 90123", TypeInsuranceID, "80276 00123 45678 90123"},
		{"EHIC compact", "the card number is 80380000050012345678", TypeInsuranceID, "80380000050012345678"},
		{"not an EHIC", "the order reference is 80999000050012345678", TypeInsuranceID, ""},
	})
}

// TestFormsRound18Organisations: insurers, companies, cards and places
// are not people; a person named like a town or a road still is.
func TestFormsRound18Organisations(t *testing.T) {
	runFormCases(t, []formCase{
		{"insured with", "I'm insured with Zilveren Kruis, is that accepted", TypePerson, ""},
		{"insurance with", "I have private insurance with Allianz Care", TypePerson, ""},
		{"company suffix", "please send the invoice to Hartmann GmbH in Munich", TypePerson, ""},
		{"carte Vitale", "I have his carte Vitale here", TypePerson, ""},
		{"at the Rotunda", "I'm a midwife at the Rotunda calling about a lady", TypePerson, ""},
		{"willow court", "it's the care home willow court about a resident", TypePerson, ""},
		{"rowan unit", "ask for the nurse in charge on rowan unit", TypePerson, ""},
		{"albert road", "she lives at forty seven albert road", TypePerson, ""},
		{"oscar lane", "one of our children oscar lane has conjunctivitis", TypePerson, "oscar"},
		{"I am from Valencia", "sorry my English, I am from Valencia", TypePerson, ""},
		{"a call from Sarah", "I had a call from Sarah at the surgery", TypePerson, "Sarah"},
		{"Stanley knife", "I cut my hand on a Stanley knife at work", TypePerson, ""},
		{"Mam", "Mam said to ring you about my retainer", TypePerson, ""},
		{"ive", "hello ive been told to phone about my review", TypePerson, ""},
		{"polisnummer", "my polisnummer is 208 447 136", TypeInsuranceID, "208 447 136"},
	})
}

// TestFormsRound18AdminWords: a card, a step of care, a station and a
// dosette pack are not medical; a broken heart said of a wait is a
// figure.
func TestFormsRound18AdminWords(t *testing.T) {
	runFormCases(t, []formCase{
		{"tessera", "the tessera sanitaria has the same number", TypeMedication, ""},
		{"triaged", "it says I've been triaged as routine", TypeMedication, ""},
		{"eyewash station", "he rinsed it at the eyewash station", TypeMedication, ""},
		{"blister packs", "can the pharmacy do blister packs for her", TypeProcedure, ""},
		{"broke my heart", "he broke my heart when he said another month", TypeMedicalCondition, ""},
		{"fluclox", "can we have a script for fluclox for her cellulitis", TypeMedication, "fluclox"},
	})
}

// TestFormsRound18Streets: a street that locates a shop, a car park or a
// bus is no one's address; a house number, a town after it or "I live
// on" makes it one; the corner of a table is furniture.
func TestFormsRound18Streets(t *testing.T) {
	runFormCases(t, []formCase{
		{"pay and display", "or do I use the pay and display on Church Street", TypeStreetAddress, ""},
		{"care home on", "it's the care home on Beech Road about a resident", TypeStreetAddress, ""},
		{"nursery on", "calling from the nursery on Willow Lane about a child", TypePerson, ""},
		{"live on", "I live on Mulberry Road now", TypeStreetAddress, "Mulberry Road"},
		{"with a town", "the home's on Cedar Lane, Ormskirk, L39 4TR", TypeStreetAddress, "Cedar Lane"},
		{"house number", "I live at 14 Church Street", TypeStreetAddress, "14 Church Street"},
		{"corner of a table", "she banged her head on the corner of the table, she cried and she's fine", TypeStreetAddress, ""},
		{"corner of streets", "it's on the corner of Elm Street and Main Road", TypeStreetAddress, "corner of Elm Street and Main Road"},
	})
}

// TestFormsRound18Wave6: a bee in a bonnet, power of attorney and an
// introduction in Spanish are not medical; a cold before "do we",
// weird dreams, feeling flat, iodine, terminally ill and a split pill
// name after "change from" are.
func TestFormsRound18Wave6(t *testing.T) {
	runFormCases(t, []formCase{
		{"bee in my bonnet", "ive got a bee in my bonnet about the parking", TypeMedicalCondition, ""},
		{"power of attorney", "I'm her daughter and I've got power of attorney", TypeMedicalCondition, ""},
		{"nombre es", "mi nombre es Lucía, sorry, my name is Lucía", TypeProcedure, ""},
		{"a cold do we", "shes got a cold do we still bring her", TypeMedicalCondition, "a cold"},
		{"weird dreams", "the patches made me have weird dreams", TypeMedicalCondition, "weird dreams"},
		{"feel flat", "the sertraline makes me feel flat", TypeMedicalCondition, "feel flat"},
		{"iodine", "I'm allergic to iodine, should I tell someone", TypeMedication, "iodine"},
		{"terminally ill", "he's terminally ill and at home now", TypeMedicalCondition, "terminally ill"},
		{"change from micro gyno", "id like to change from micro gyno to the mini pill", TypeMedication, "micro gyno"},
	})
}

// TestFormsRound18ShortAnswers: answers to a receptionist's questions
// name a symptom after "just", a negated one, and a tendency; a title
// keeps a given name a name.
func TestFormsRound18ShortAnswers(t *testing.T) {
	runFormCases(t, []formCase{
		{"just grizzly", "no she's not floppy she's just grizzly", TypeMedicalCondition, "grizzly"},
		{"just in time", "she's just in time for the appointment", TypeMedicalCondition, ""},
		{"didn't black out", "no she didn't black out", TypeMedicalCondition, "black out"},
		{"bruises easy", "shes on warfarin so she bruises easy", TypeMedicalCondition, "bruises easy"},
		{"no temperature", "no temperature no", TypeMedicalCondition, "temperature"},
		{"Miss Tia Rowland", "I saw Miss Tia Rowland last night with tonsillitis", TypeMedicalCondition, "tonsillitis"},
		{"Tia is a name", "I saw Miss Tia Rowland last night with tonsillitis", TypePerson, "Tia Rowland"},
		{"a TIA", "he had a TIA last year", TypeMedicalCondition, "TIA"},
	})
}

// TestFormsRound18Services: services, insurers, a ward by its number and
// a greeting are not people; forms and schemes are not medical.
func TestFormsRound18Services(t *testing.T) {
	runFormCases(t, []formCase{
		{"Public Health", "Public Health told us to inform the GP", TypePerson, ""},
		{"Krankenkasse", "the number for Techniker Krankenkasse is on the card", TypePerson, ""},
		{"Podiatry Services", "the letter says Podiatry Services on it", TypePerson, ""},
		{"ward seven", "hi its ward seven at the royal", TypePerson, ""},
		{"Hiya", "Hiya, is that the podiatry clinic?", TypePerson, ""},
		{"DNACPR", "we need the GP to sign the DNACPR for her", TypeProcedure, ""},
		{"minor ailments", "the minor ailments consult for her son", TypeMedicalCondition, ""},
		{"HSE", "her hearing aids were fitted through the HSE", TypeMedication, ""},
		{"anywhere on a road", "is there anywhere on Cathedral Road I can park", TypeStreetAddress, ""},
	})
}

// TestFormsRound18Wave8: a patient named after "for", a surname after a
// given name, a practice by its doctor's name and a street by a hall are
// not medical or an address; a condition after "for" and Mohs surgery as
// heard still are.
func TestFormsRound18Wave8(t *testing.T) {
	runFormCases(t, []formCase{
		{"for Fiona Laverty", "a script for methotrexate weekly for Fiona Laverty, the dose looks wrong", TypeMedicalCondition, ""},
		{"for gout", "she's on allopurinol for gout", TypeMedicalCondition, "gout"},
		{"kathleen murphy over in", "its for kathleen murphy over in fourteen church view", TypeMedication, ""},
		{"doctor hennessys surgery", "im phoning from doctor hennessys surgery in galway", TypeProcedure, ""},
		{"the surgerys closed", "the surgerys closed and she has a temperature", TypeProcedure, ""},
		{"moes surgery", "the biopsy says i need moes surgery on my nose", TypeProcedure, "moes surgery"},
		{"nearly broke my neck", "i nearly broke my neck on that step", TypeMedicalCondition, ""},
		{"hall on a lane", "is it in the community hall on Church Lane", TypeStreetAddress, ""},
	})
}

// TestFormsRound18Spellings: a name's spelling is the name too, before or
// after the word, across hyphens and commas, or after "spell"; an
// acronym, an insurer and letters that open a number are not names.
func TestFormsRound18Spellings(t *testing.T) {
	runFormCases(t, []formCase{
		{"spaced letters", "my name is sarah oconnell thats o c o n n e l l", TypePerson, "o c o n n e l l"},
		{"hyphens", "it's Mrs Patricia Hewitt, that's H-E-W-I-T-T, date of birth", TypePerson, "H-E-W-I-T-T"},
		{"commas", "It's Przybylski — P, R, Z, Y, B, Y, L, S, K, I. Everyone gets it wrong.", TypePerson, "P, R, Z, Y, B, Y, L, S, K, I"},
		{"accented word", "He's Tomasz Wiśniewski, W-I-S-N-I-E-W-S-K-I, born 1990", TypePerson, "W-I-S-N-I-E-W-S-K-I"},
		{"spelling first", "Do you want me to spell it? S-Z-Y-M-A-N-S-K-A, Agnieszka Szymanska.", TypePerson, "S-Z-Y-M-A-N-S-K-A"},
		{"after spelt", "is the surname spelt d e v r i e s all together", TypePerson, "d e v r i e s"},
		{"acronym", "my DNI is 88001588T, D-N-I, and I have the card", TypePerson, ""},
		{"insurer spelt", "my membership number is b u p a seven seven four one two", TypePerson, ""},
	})
}

// TestFormsRound18SpokenIdentity: identity numbers and dates of birth as
// speech-to-text writes them, and the cues callers use for them.
func TestFormsRound18SpokenIdentity(t *testing.T) {
	runFormCases(t, []formCase{
		{"spoken codice fiscale", "my codice fiscale is c e s p i l six three r two six b five three five j and", TypeNationalID, "c e s p i l six three r two six b five three five j"},
		{"SSN cue further back", "my social security number uh the american one is six nine two six eight seven nine six two", TypeNationalID, "six nine two six eight seven nine six two"},
		{"H and C number", "the resident is Mrs Bridie McCann, H and C number 249 233 6379, and she", TypeNationalID, "249 233 6379"},
		{"NHS after 'the number is'", "date of birth twelfth of the fifth nineteen eighty and the number is three zero eight two six seven one seven one three", TypeNationalID, "three zero eight two six seven one seven one three"},
		{"a phone after 'ring me on'", "you can ring me on 639 397 3625 any time", TypeNationalID, ""},
		{"five-digit spoken date of birth", "date of birth twenty six one ninety nine and hes not sleeping", TypeDateOfBirth, "twenty six one ninety nine"},
		{"five digits of an order", "the order number is twelve four sixty-seven", TypeDateOfBirth, ""},
		{"cue after the date", "nineteen seventy no seventy one the second of june thats my date of birth", TypeDateOfBirth, "second of june"},
		{"medical card", "my medical card number is four four seven one eight eight two oh i am trying", TypeInsuranceID, "four four seven one eight eight two oh"},
		{"membership number after", "eight two nine one four four zero six thats the axa health membership number", TypeInsuranceID, "eight two nine one four four zero six"},
		{"zorgpas", "Her zorgpas number is ZK 2049 3381 07 and her BSN is 1621.01.077.", TypeInsuranceID, "ZK 2049 3381 07"},
		{"invoice before a policy", "The invoice number is INV-20417 and the policy number is AXA 44817 2209", TypeInsuranceID, "AXA 44817 2209"},
	})
}
