package store

import (
	"time"

	"github.com/google/uuid"
)

// Rows mirror the migrations column for column; TestModelsMatchMigrations
// keeps them honest. They never leave this package: repositories convert
// them to domain types.

type accountRow struct {
	ID           uuid.UUID `gorm:"primaryKey"`
	Name         string
	Street       string
	City         string
	State        string
	PostalCode   string
	Country      string
	Phone        string
	Website      string
	CustomFields jsonMap
	Version      int64
	CreatedAt    time.Time
	UpdatedAt    time.Time
	ExternalID   *string
}

func (accountRow) TableName() string { return "accounts" }

type organizationRow struct {
	ID           uuid.UUID `gorm:"primaryKey"`
	Name         string
	Kind         string
	Status       string
	PartnerType  string
	Region       string
	Street       string
	City         string
	State        string
	PostalCode   string
	Country      string
	Phone        string
	Website      string
	CustomFields jsonMap
	AccountID    *uuid.UUID
	Version      int64
	CreatedAt    time.Time
	UpdatedAt    time.Time
	ExternalID   *string
}

func (organizationRow) TableName() string { return "organizations" }

type emailDomainRow struct {
	Domain         string `gorm:"primaryKey"`
	OrganizationID *uuid.UUID
	CreatedAt      time.Time
}

func (emailDomainRow) TableName() string { return "email_domains" }

type personRow struct {
	ID             uuid.UUID `gorm:"primaryKey"`
	Kind           string
	FirstName      string
	LastName       string
	Email          string
	EmailKey       string
	Phone          string
	Title          string
	OrganizationID *uuid.UUID
	AccountID      *uuid.UUID
	Status         string
	Role           string
	PrimaryContact bool
	PasswordHash   string
	ActivatedAt    *time.Time
	Version        int64
	CreatedAt      time.Time
	UpdatedAt      time.Time
	Locale         string
	ExternalID     *string
}

func (personRow) TableName() string { return "people" }

type groupRow struct {
	ID                uuid.UUID `gorm:"primaryKey"`
	Name              string
	NameKey           string
	Description       string
	PartnerAssignable bool
	SmartRule         *jsonRule
	Version           int64
	CreatedAt         time.Time
	UpdatedAt         time.Time
}

func (groupRow) TableName() string { return "groups" }

type groupRuleOrganizationRow struct {
	GroupID        uuid.UUID `gorm:"primaryKey"`
	OrganizationID uuid.UUID `gorm:"primaryKey"`
}

func (groupRuleOrganizationRow) TableName() string { return "group_rule_organizations" }

type groupMembershipRow struct {
	PersonID  uuid.UUID `gorm:"primaryKey"`
	GroupID   uuid.UUID `gorm:"primaryKey"`
	Source    string
	CreatedAt time.Time
}

func (groupMembershipRow) TableName() string { return "group_memberships" }

type fieldDefinitionRow struct {
	ID        uuid.UUID `gorm:"primaryKey"`
	Entity    string
	Key       string
	Label     string
	Type      string
	Required  bool
	MaxLength *int
	Min       *float64
	Max       *float64
	Options   jsonStrings
	Version   int64
	CreatedAt time.Time
	UpdatedAt time.Time
}

func (fieldDefinitionRow) TableName() string { return "field_definitions" }

// models lists every row type, for the schema agreement test.
func models() []any {
	return []any{
		&accountRow{}, &organizationRow{}, &emailDomainRow{}, &personRow{},
		&groupRow{}, &groupRuleOrganizationRow{}, &groupMembershipRow{}, &fieldDefinitionRow{},
		&userTokenRow{}, &sessionRow{}, &outboxEmailRow{}, &auditEventRow{}, &fieldMappingRow{}, &apiKeyRow{},
		&promotionJobRow{}, &promotionJobItemRow{}, &idempotencyKeyRow{}, &rateLimitRow{},
		&invitationRow{}, &invitationJobRow{}, &invitationJobItemRow{}, &emailTemplateRow{},
		&webhookEndpointRow{}, &webhookSubscriptionRow{}, &webhookDeliveryRow{},
		&importJobRow{}, &importJobChunkRow{}, &importJobItemRow{},
	}
}

type userTokenRow struct {
	ID        uuid.UUID `gorm:"primaryKey"`
	PersonID  uuid.UUID
	Purpose   string
	TokenHash string
	ExpiresAt time.Time
	UsedAt    *time.Time
	RevokedAt *time.Time
	CreatedAt time.Time
}

func (userTokenRow) TableName() string { return "user_tokens" }

type sessionRow struct {
	ID        uuid.UUID `gorm:"primaryKey"`
	PersonID  uuid.UUID
	TokenHash string
	ExpiresAt time.Time
	CreatedAt time.Time
}

func (sessionRow) TableName() string { return "sessions" }

type outboxEmailRow struct {
	ID        uuid.UUID `gorm:"primaryKey"`
	Recipient string
	Subject   string
	Body      string
	Attempts  int
	SentAt    *time.Time
	FailedAt  *time.Time
	LastError string
	CreatedAt time.Time
	Adopt     bool
	HTML      string `gorm:"column:html"`
}

func (outboxEmailRow) TableName() string { return "outbox_emails" }

type auditEventRow struct {
	ID             uuid.UUID `gorm:"primaryKey"`
	OccurredAt     time.Time
	Actor          string
	Action         string
	SubjectType    string
	SubjectID      string
	OrganizationID *uuid.UUID
	Details        jsonMap
}

func (auditEventRow) TableName() string { return "audit_events" }

type fieldMappingRow struct {
	ID                uuid.UUID `gorm:"primaryKey"`
	AccountField      string
	OrganizationField string
	Version           int64
	CreatedAt         time.Time
	UpdatedAt         time.Time
}

func (fieldMappingRow) TableName() string { return "field_mappings" }

type apiKeyRow struct {
	ID         uuid.UUID `gorm:"primaryKey"`
	Name       string
	Role       string
	KeyHash    string
	LastUsedAt *time.Time
	RevokedAt  *time.Time
	CreatedAt  time.Time
}

func (apiKeyRow) TableName() string { return "api_keys" }

type promotionJobRow struct {
	ID         uuid.UUID `gorm:"primaryKey"`
	Status     string
	DryRun     bool
	Options    jsonMap
	Actor      string
	Total      int
	Processed  int
	Promoted   int
	Failed     int
	Worker     string
	Error      string
	CreatedAt  time.Time
	UpdatedAt  time.Time
	FinishedAt *time.Time
	Adopt      bool
}

func (promotionJobRow) TableName() string { return "promotion_jobs" }

type promotionJobItemRow struct {
	JobID           uuid.UUID `gorm:"primaryKey"`
	Seq             int       `gorm:"primaryKey;autoIncrement:false"`
	ContactID       uuid.UUID
	Status          string
	UserID          *uuid.UUID
	ErrorCode       string
	ErrorDetail     string
	ErrorResolution string
	Warnings        jsonList
	Email           string
	ExternalID      string
}

func (promotionJobItemRow) TableName() string { return "promotion_job_items" }

type idempotencyKeyRow struct {
	Key         string `gorm:"primaryKey"`
	RequestHash string
	Status      int
	Body        string
	Location    string
	CreatedAt   time.Time
	ExpiresAt   time.Time
}

func (idempotencyKeyRow) TableName() string { return "idempotency_keys" }
