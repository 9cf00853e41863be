package pii

import "testing"

// TestFormsRound17Pregnancy: fewer movements, a pregnancy by its weeks
// and a baby measured small; the weeks of an appointment and a measuring
// jug are not.
func TestFormsRound17Pregnancy(t *testing.T) {
	runFormCases(t, []formCase{
		{"not felt the baby move much", "I'm thirty-four weeks and I haven't felt the baby move much since yesterday", TypeMedicalCondition, "haven't felt the baby move much"},
		{"cant feel the baby moving", "shes thirty two weeks pregnant and she cant feel the baby moving", TypeMedicalCondition, "cant feel the baby moving"},
		{"felt the baby kick", "I felt the baby kick for the first time last night", TypeMedicalCondition, ""},
		{"twelve weeks gone", "i'm twelve weeks gone does the drug service talk to the midwives", TypeMedicalCondition, "twelve weeks gone"},
		{"the weeks have gone", "two weeks gone by and still no letter", TypeMedicalCondition, ""},
		{"measuring small", "the scan showed the baby's measuring small", TypeMedicalCondition, "measuring small"},
		{"measuring for blinds", "he's measuring small rooms for the new blinds", TypeMedicalCondition, ""},
	})
}

// TestFormsRound17Habits: a relapse, a drinking amount by the day and
// falls by how often; things that fall off and a glass of water are not.
func TestFormsRound17Habits(t *testing.T) {
	runFormCases(t, []formCase{
		{"using again", "yeah im his key worker hes using again and hes missed his bupe", TypeMedicalCondition, "using again"},
		{"using again an object", "can she start using again the spacer we had before", TypeMedicalCondition, ""},
		{"a bottle a night", "I've been drinking a bottle of wine a night since the divorce", TypeMedicalCondition, "drinking a bottle of wine a night"},
		{"cans a day", "he drinks eight cans a day and gets the shakes", TypeMedicalCondition, "drinks eight cans a day"},
		{"a glass of water", "she's drinking a glass of water before the scan", TypeMedicalCondition, ""},
		{"falling a lot", "she's on sinemet and she's falling a lot", TypeMedicalCondition, "falling a lot"},
		{"patches falling off", "my patches keep falling off a lot in the heat", TypeMedicalCondition, ""},
	})
}

// TestFormsRound17Rubbing: a device rubbing a body part, not a cream
// rubbed on one.
func TestFormsRound17Rubbing(t *testing.T) {
	runFormCases(t, []formCase{
		{"rubbing her gums raw", "she had her dentures fitted last week and they're rubbing her gums raw", TypeMedicalCondition, "rubbing her gums raw"},
		{"rubbing his heel", "it's rubbing his heel something awful", TypeMedicalCondition, "rubbing his heel"},
		{"rubbing a cream on", "I've been rubbing Voltarol gel on my knee", TypeMedicalCondition, ""},
	})
}

// TestFormsRound17ForeignMedicines: a medicine spelt as another European
// language spells it; an English word with the same ending is not.
func TestFormsRound17ForeignMedicines(t *testing.T) {
	runFormCases(t, []formCase{
		{"metformine", "hij is hier op vakantie zonder zijn metformine", TypeMedication, "metformine"},
		{"l'insulina", "ha bisogno della ricetta per l'insulina", TypeMedication, "insulina"},
		{"omeprazol", "mi madre toma omeprazol desde el lunes", TypeMedication, "omeprazol"},
		{"amoxicilina", "le dieron amoxicilina para la garganta", TypeMedication, "amoxicilina"},
		{"an English word", "the paperwork for the insurance came", TypeMedication, ""},
	})
}

// TestFormsRound17Idioms: fitting someone in is a booking, not a fit;
// not seeing the board at school is the eyes.
func TestFormsRound17Idioms(t *testing.T) {
	runFormCases(t, []formCase{
		{"fitting us in", "Right, that's lovely, thank you so much for fitting us in.", TypeMedicalCondition, ""},
		{"fitting", "he's been fitting on and off since lunchtime", TypeMedicalCondition, "fitting"},
		{"can't see the board", "the school says she can't see the board", TypeMedicalCondition, "can't see the board"},
	})
}

// TestFormsRound17Moles: a mole or freckle that changed shape or colour;
// a changed plan is not.
func TestFormsRound17Moles(t *testing.T) {
	runFormCases(t, []formCase{
		{"changed colour", "I'd like a mole check, there's one on my back that's changed colour.", TypeMedicalCondition, "changed colour"},
		{"my father's been falling", "My father's been falling a lot lately and the physio wants a falls assessment", TypeMedicalCondition, "falling a lot"},
		{"a repainted door", "the front door has changed colour since you were last here", TypeMedicalCondition, ""},
	})
}

// TestFormsRound17HalfWords: a bound prefix cut from its word and a
// reference's letters are no medical span.
func TestFormsRound17HalfWords(t *testing.T) {
	runFormCases(t, []formCase{
		{"a pre-authorisation", "Do you accept Bupa, and if so do I need a pre-authorisation number first?", TypeProcedure, ""},
		{"a self-employed plumber", "I'm a self-employed plumber", TypeMedicalCondition, ""},
		{"OP-20931", "I just need to collect an order, it's number OP-20931.", TypeProcedure, ""},
		{"a pre-op", "I need a pre-op assessment before the knee replacement", TypeProcedure, "pre-op"},
	})
}

// TestFormsRound17Greetings: a greeting in the caller's language is no
// name, and after "at" a name is a workplace; a title, a possessive or
// "look at" keeps a person.
func TestFormsRound17Greetings(t *testing.T) {
	runFormCases(t, []formCase{
		{"Bonjour", "Bonjour, I am visiting from Lyon, my little boy has an ear infection.", TypePerson, ""},
		{"Guten Tag", "Guten Tag, I am calling from Munich about my daughter's dental check-up.", TypePerson, ""},
		{"Hallo then a name", "Hallo, I am Jens Müller, can I register with the dentist?", TypePerson, "Jens Müller"},
		{"Ola a name", "erm its ola ringing for my dad hes on warfarin", TypePerson, "ola"},
		{"the pharmacist at Lloyds", "The pharmacist at Lloyds said to ring you about the rash.", TypePerson, ""},
		{"a carer at a home", "I'm a senior carer at Ashdown Lodge ringing about a resident.", TypePerson, ""},
		{"look at a child", "I'd like a GP to look at Maisie Clarke this afternoon.", TypePerson, "Maisie Clarke"},
		{"at a doctor's", "I was at Dr Shah's on Monday about my knee.", TypePerson, "Shah"},
	})
}

// TestFormsRound17NotNames: one word after an article is a thing or a
// shop, and a word that joins its neighbours into a medicine is part of
// the medicine; a name introduced by a cue stays a name.
func TestFormsRound17NotNames(t *testing.T) {
	runFormCases(t, []formCase{
		{"the ella one", "hi i had unprotected sex on saturday is it too late for the ella one", TypePerson, ""},
		{"next to the Costa", "Do you know if the Costa near the main entrance is still open after six?", TypePerson, ""},
		{"an author's name", "Unlike the Castro novel, it's not long", TypePerson, "Castro"},
		{"met for min", "the met for min is giving me an upset stomach", TypePerson, ""},
		{"met for min is a medicine", "the met for min is giving me an upset stomach", TypeMedication, "met for min"},
		{"three words that spell nothing", "the man for him is giving me a lift", TypeMedication, ""},
		{"a tor va statin", "so the doctor put me on a tor va statin forty milligrams", TypePerson, ""},
		{"its liam again", "hi yeah um its liam again about the a camp row sate", TypePerson, "liam"},
		{"my son yusuf", "my son yusuf has eczema really bad in the creases of his arms", TypePerson, "yusuf"},
	})
}

// TestFormsRound17Colours: a wound or a part that changes colour is a
// sign; hair going grey, a garden gone yellow and a record known by its
// colour are not, nor is an admin code.
func TestFormsRound17Colours(t *testing.T) {
	runFormCases(t, []formCase{
		{"the wound's gone black", "one bit of the wound's gone black, the plastics ward said to get the GP to look", TypeMedicalCondition, "gone black"},
		{"fingers going blue", "he's got it in a sling but his fingers are going blue", TypeMedicalCondition, "going blue"},
		{"the garden", "the garden's gone yellow in this drought, anyway I'm calling about parking", TypeMedicalCondition, ""},
		{"his red book", "I'm ringing to book Oliver in, he's got his red book with him", TypeMedicalCondition, ""},
		{"a collection code", "The pharmacy texted me a collection code, seven seven three two, do I need to show that?", TypeProcedure, ""},
	})
}

// TestFormsRound17Shaky: a person shaking and low sats; a shaky line and
// shaking one's head are not.
func TestFormsRound17Shaky(t *testing.T) {
	runFormCases(t, []formCase{
		{"she's shaky", "now she's shaky before meals and her heart's racing", TypeMedicalCondition, "shaky"},
		{"shaking in the mornings", "i've been shaking in the mornings since i stopped drinking", TypeMedicalCondition, "shaking"},
		{"a shaky line", "sorry it's a bit of a shaky line, can you repeat the time", TypeMedicalCondition, ""},
		{"shaking his head", "the receptionist was shaking his head at me", TypeMedicalCondition, ""},
		{"shaking hands", "she's shaking hands with the new doctor", TypeMedicalCondition, ""},
		{"sats are down", "he has copd and his sats are down at eighty eight", TypeMedicalCondition, "sats are down"},
	})
}

// TestFormsRound17Drinking: how much a person drinks and urine not
// passed; a scheme named after an illness is admin.
func TestFormsRound17Drinking(t *testing.T) {
	runFormCases(t, []formCase{
		{"been drinking a lot", "hes been drinking a lot and hes talking about ending it", TypeMedicalCondition, "drinking a lot"},
		{"advice to drink", "the leaflet says avoid drinking a lot of coffee before the scan", TypeMedicalCondition, ""},
		{"hasnt passed water", "mr foley hasnt passed water since yesterday", TypeMedicalCondition, "hasnt passed water"},
		{"an illness scheme", "she's on the Long-Term Illness scheme for her type 1 diabetes", TypeMedicalCondition, "diabetes"},
		{"a drivers scheme", "I'm trying to find out about the volunteer drivers scheme.", TypeMedicalCondition, ""},
		{"Dag,", "Dag, I am calling from Utrecht, I need to continue my venlafaxine", TypePerson, ""},
	})
}
