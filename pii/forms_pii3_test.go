package pii

import "testing"

// TestFormsPii3 covers the classes of phrasing added in branch pii3, each
// with hard negatives beside it: lay complaints, purposes and forms of
// medicines, results, referrals, names that are words, and the places and
// idioms that look like them.
func TestFormsPii3(t *testing.T) {
	runFormCases(t, []formCase{
		// Lay complaints by form.
		{"body part gone", "my back has gone again", TypeMedicalCondition, "back has gone"},
		{"playing up", "my knee's playing up", TypeMedicalCondition, "playing up"},
		{"faculty", "my hearing's gone in my left ear", TypeMedicalCondition, "hearing's gone"},
		{"colour change", "My fingers go white in the cold.", TypeMedicalCondition, "fingers go white"},
		{"no apostrophe", "my throats killing me", TypeMedicalCondition, "throats killing me"},
		{"relative's possessive", "my wife's ankles are swollen", TypeMedicalCondition, "ankles are swollen"},
		{"not doing", "She's off colour and not eating.", TypeMedicalCondition, "not eating"},
		{"not well", "its for my partner hes not well", TypeMedicalCondition, "not well"},
		{"feeling bad", "I'm feeling worse since Monday.", TypeMedicalCondition, "feeling worse"},
		{"side effect", "I'm on HRT and it's making me bleed.", TypeMedicalCondition, "making me bleed"},
		{"mark on body", "My son has a bump on his head.", TypeMedicalCondition, "bump on his head"},
		{"result", "i had a smear and it came back abnormal", TypeMedicalCondition, "abnormal"},
		{"level first", "My bloods showed low vitamin D.", TypeMedicalCondition, "low vitamin D"},
		{"trouble with", "I'm having problems with my waterworks.", TypeMedicalCondition, "waterworks"},
		{"mental health", "im struggling with my mental health", TypeMedicalCondition, "mental health"},
		{"coordinated", "I've been feeling very low and tearful.", TypeMedicalCondition, "tearful"},
		// ... and what is not a complaint.
		{"gone back", "I've gone back to work.", TypeMedicalCondition, ""},
		{"a pain said of a task", "It's been a bit of a pain to organise.", TypeMedicalCondition, ""},
		{"a headache said of a person", "My boss is a real headache.", TypeMedicalCondition, ""},
		{"thing broken", "The printer's broken so I can't print the form.", TypeMedicalCondition, ""},
		{"hands full", "My hands are full, hold on.", TypeMedicalCondition, ""},
		{"tired of", "I'm tired of waiting.", TypeMedicalCondition, ""},
		{"feel bad about", "I feel bad about cancelling.", TypeMedicalCondition, ""},
		{"expecting a call", "I'm expecting a call from the hospital.", TypeMedicalCondition, ""},
		{"not eating here", "I'm not eating here.", TypeMedicalCondition, ""},
		{"for my toddler", "I need Calpol for my toddler.", TypeMedicalCondition, ""},
		// Medicines by purpose, form and request.
		{"purpose and form", "I've got eczema cream but it's not working.", TypeMedication, "eczema cream"},
		{"water tablet", "He takes a water tablet in the morning.", TypeMedication, "water tablet"},
		{"acronym and form", "I use a GTN spray for my angina.", TypeMedication, "GTN spray"},
		{"class noun", "I'd like the Covid antivirals, I'm high risk.", TypeMedication, "Covid antivirals"},
		{"request", "Can I have Paxlovid?", TypeMedication, "Paxlovid"},
		{"-prost stem", "I need my eye drops, the latanoprost.", TypeMedication, "latanoprost"},
		{"no medicine named", "No, I'm not on any medication.", TypeMedication, ""},
		{"insurer plan", "Can I use my Simplyhealth plan for this?", TypeMedication, ""},
		{"pharmacy after to the", "Could you send my Fostair to the Lloyds please?", TypeMedication, "Fostair"},
		// Procedures.
		{"referral", "I need a referral to dermatology.", TypeProcedure, "referral to dermatology"},
		{"measurement", "Can the pharmacist do my blood pressure?", TypeProcedure, "blood pressure"},
		{"the filling as a noun", "After the filling my tooth has been sensitive.", TypeProcedure, "filling"},
		{"physio said", "My physio said to ask for an MRI.", TypeProcedure, "MRI"},
		{"check up on", "Can someone check up on my mum?", TypeProcedure, ""},
		{"scan of a passport", "The scan of my passport is attached.", TypeProcedure, ""},
		{"doctor's surgery", "The doctor's surgery on the corner had a fire alarm.", TypeProcedure, ""},
		{"hearing loop", "Do you have a hearing loop at reception?", TypeProcedure, ""},
		// Names that are words, and lower-case transcripts.
		{"name is will", "my name is will fisher", TypePerson, "will"},
		{"is called", "My son is called River.", TypePerson, "River"},
		{"it's Pat from", "It's Pat from Holly Road, I rang yesterday.", TypePerson, "Pat"},
		{"possessive before kin", "This is Miles, I'm Drew's dad.", TypePerson, "Drew"},
		{"lower-case kin", "the appointment is for my husband frank", TypePerson, "frank"},
		{"carer is", "My carer is Blessing, she'll bring me.", TypePerson, "Blessing"},
		{"name after cue inside a run", "Hi I'm Leontyne Abara", TypePerson, "Leontyne Abara"},
		{"kin then verb", "my daughter said she was ill", TypePerson, ""},
		{"son will", "my son will ring you", TypePerson, ""},
		{"spelt letters", "I'm Ngozi Eze, spelt E-Z-E.", TypePerson, "Ngozi Eze"},
		{"room is no name", "My appointment letter says Room 4, Outpatients.", TypePerson, ""},
		// Dates of birth and numbers.
		{"year first with slashes", "Birth date 1979/08/14.", TypeDateOfBirth, "1979/08/14"},
		{"ordinal of ordinal with comma", "I was born the 3rd of the 12th, 1975.", TypeDateOfBirth, "1975"},
		{"customer number", "Our customer number is 004417726.", TypePhoneNumber, ""},
		// Places that are no personal address.
		{"clinic on a street", "The clinic on Elm Street, is that yours?", TypeStreetAddress, ""},
		{"surgery at a number", "Dr Cole's surgery is at 4 Mill Street.", TypeStreetAddress, ""},
		{"the Harley Street clinic", "The Harley Street clinic told me to call you.", TypeStreetAddress, ""},
		{"personal address kept", "I live at 4 Mill Street near the surgery.", TypeStreetAddress, "4 Mill Street"},
		// Spoken e-mail said as words.
		{"spoken email as words", "my email is rosa martinez at hotmail dot com", TypeEmailAddress, "rosa martinez at hotmail dot com"},
		{"no name inside it", "my email is rosa martinez at hotmail dot com", TypePerson, ""},
	})
}
