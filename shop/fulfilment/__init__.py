"""After payment: dispatch and delivery (couriers and their signed updates), text
messages (sms/), review invitations (reviews/) and warranty claims (warranty/)."""
