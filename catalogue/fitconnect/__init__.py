"""FIT-Connect hand-over of online applications (docs/catalogue.md, "FIT-Connect").

* `client` speaks the public Submission and Routing APIs (OAuth2 client credentials);
* `crypto` encrypts for a destination's public key (JWE, RSA-OAEP-256 + A256GCM) and verifies
  the security event tokens of the event log (JWS, PS512);
* `pki` trusts a destination's key only through the Verwaltungs-PKI (x5c chain to the
  configured roots, OCSP/CRL revocation);
* `routing` uses a Routing API answer only when its destinationSignature and
  destinationParametersSignature verify;
* `handover` holds the state changes: queue a hand-over with the application, submit it
  (idempotent, retried), read the event log back, retry after a refusal;
* `tasks` are the Celery tasks, called by name.
"""
