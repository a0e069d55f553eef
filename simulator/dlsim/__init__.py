"""dlsim: a Direct Link v1 and IAM simulator that the unmodified IBM SDK can talk to over loopback."""
