package dialogue

// OneMessage is oneMessage, for the golden conversations to fold the replies they expect as a turn's
// replies are folded.
var OneMessage = oneMessage
