-- One database per service: each owns its event store and read models.
CREATE DATABASE registry;
CREATE DATABASE inspection;
CREATE DATABASE enforcement;
CREATE DATABASE notification;
