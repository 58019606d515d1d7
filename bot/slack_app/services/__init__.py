"""What the listeners share: which workspace this app serves, replayed requests, the hold
before an ack, the sentences a submitter is answered with, and parsing what people type.
"""
