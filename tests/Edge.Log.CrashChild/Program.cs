// Placeholder: replaced by the kill -9 test's child (appends at full speed and reports acknowledged offsets).
return 0;
