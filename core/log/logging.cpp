#include "log/logging.h"

Q_LOGGING_CATEGORY(lcApp, "dealerq.app", QtInfoMsg)
Q_LOGGING_CATEGORY(lcConfig, "dealerq.config", QtInfoMsg)
Q_LOGGING_CATEGORY(lcRunner, "dealerq.runner", QtInfoMsg)
Q_LOGGING_CATEGORY(lcFetch, "dealerq.fetch", QtInfoMsg)
Q_LOGGING_CATEGORY(lcStore, "dealerq.store", QtInfoMsg)
Q_LOGGING_CATEGORY(lcSchedule, "dealerq.schedule", QtInfoMsg)
Q_LOGGING_CATEGORY(lcApi, "dealerq.api", QtInfoMsg)
Q_LOGGING_CATEGORY(lcAlert, "dealerq.alert", QtInfoMsg)
